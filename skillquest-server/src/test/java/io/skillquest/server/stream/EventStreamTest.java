package io.skillquest.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.SseReader;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /events/stream over real HTTP with the worker committing real awards: what arrives, to whom,
 * after a reconnect, and with which credentials.
 */
class EventStreamTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  static long challenge;

  @BeforeAll
  static void start() {
    challenge = Fixtures.publishedChallenge(server, 100);
  }

  static SseReader open(String query, Map<String, String> headers) {
    return SseReader.open(server.baseUrl() + "/api/v1/events/stream" + query, headers);
  }

  static SseReader open(TestServer.Tokens who) {
    return open("", Map.of("Authorization", "Bearer " + who.access()));
  }

  /** Starts and submits an attempt; the worker awards it moments later. */
  static long award(TestServer.Tokens who, int score) {
    var started = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    long id = started.get("id").asLong();
    var submitted =
        server.post("/attempts/" + id + "/submit", Map.of("score", score), who.access());
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    return id;
  }

  /** The ids the outbox holds for a user, oldest first. */
  static List<Long> outboxIds(long userId, long after) {
    return server
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id FROM events WHERE user_id = :u AND id > :after ORDER BY id")
                    .bind("u", userId)
                    .bind("after", after)
                    .mapTo(Long.class)
                    .list());
  }

  /** Takes events until one of {@code type} for {@code attemptId} (or any, when 0) arrived. */
  static List<SseReader.Message> until(SseReader r, String type, long attemptId) {
    var got = new ArrayList<SseReader.Message>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var m = r.next(Duration.ofMillis(200));
      if (m == null) {
        continue;
      }
      got.add(m);
      if (m.event().equals(type)
          && (attemptId == 0 || json(m).path("data").path("attempt_id").asLong() == attemptId)) {
        return got;
      }
    }
    throw new AssertionError("no " + type + " for attempt " + attemptId + " in " + got);
  }

  static JsonNode json(SseReader.Message m) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.data());
    } catch (Exception e) {
      throw new AssertionError(m.data(), e);
    }
  }

  @Test
  void anAwardArrivesAsItsEventsWithIdTypeAndTheEventJson() {
    var ann = server.registerAndLogin("ann");
    try (var stream = open(ann)) {
      assertThat(stream.status()).as(stream.text()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      long attempt = award(ann, 80);
      var got = until(stream, "attempt.processed", attempt);
      var processed = got.get(got.size() - 1);
      var body = json(processed);
      assertThat(processed.id()).isEqualTo(Long.toString(body.path("id").asLong()));
      assertThat(body.path("type").asText()).isEqualTo("attempt.processed");
      assertThat(Instant.parse(body.path("created_at").asText())).isBefore(Instant.now());
      assertThat(body.path("data").path("user_id").asLong()).isEqualTo(ann.userId());
      assertThat(body.path("data").path("xp_awarded").asInt()).isEqualTo(80);
      assertThat(body.path("data").path("status").asText()).isEqualTo("passed");
      // what arrived is exactly what the outbox holds for her, in order
      TestServer.await("all her events", WAIT, () -> stream.drain().isEmpty());
      assertThat(got.stream().map(m -> Long.parseLong(m.id())).toList())
          .isEqualTo(outboxIds(ann.userId(), 0));
    }
  }

  @Test
  void aReconnectWithLastEventIdLosesNothingAndRepeatsNothing() {
    var bob = server.registerAndLogin("bob");
    var received = new ArrayList<Long>();
    long last;
    try (var first = open(bob)) {
      long a1 = award(bob, 70);
      until(first, "attempt.processed", a1).forEach(m -> received.add(Long.parseLong(m.id())));
      last = received.get(received.size() - 1);
    }
    // committed while no stream was open
    long a2 = award(bob, 90);
    TestServer.await(
        "attempt " + a2 + " processed",
        WAIT,
        () ->
            !server
                .get("/attempts/" + a2, bob.access())
                .get("status")
                .asText()
                .equals("submitted"));
    try (var second =
        open(
            "",
            Map.of(
                "Authorization", "Bearer " + bob.access(), "Last-Event-ID", Long.toString(last)))) {
      until(second, "attempt.processed", a2).forEach(m -> received.add(Long.parseLong(m.id())));
      long a3 = award(bob, 100);
      until(second, "attempt.processed", a3).forEach(m -> received.add(Long.parseLong(m.id())));
      // its level.reached follows in the same transaction
      for (var m = second.next(Duration.ofSeconds(1));
          m != null;
          m = second.next(Duration.ofMillis(500))) {
        received.add(Long.parseLong(m.id()));
      }
    }
    assertThat(received).doesNotHaveDuplicates().isSorted();
    assertThat(received).isEqualTo(outboxIds(bob.userId(), 0));
    // the query parameter does the same for clients that cannot set the header
    try (var replay =
        open("?last_event_id=" + last, Map.of("Authorization", "Bearer " + bob.access()))) {
      var replayed = new ArrayList<Long>();
      for (var m = replay.next(WAIT); m != null; m = replay.next(Duration.ofMillis(500))) {
        replayed.add(Long.parseLong(m.id()));
      }
      assertThat(replayed).isEqualTo(outboxIds(bob.userId(), last));
    }
  }

  @Test
  void usersSeeTheirOwnEventsAndAdminsEveryones() {
    var cat = server.registerAndLogin("cat");
    var dan = server.registerAndLogin("dan");
    try (var cats = open(cat);
        var admins = open("", Map.of("Authorization", "Bearer " + server.adminToken()))) {
      long dans = award(dan, 65);
      long catsAttempt = award(cat, 75);
      until(admins, "attempt.processed", dans);
      until(admins, "attempt.processed", catsAttempt);
      var mine = until(cats, "attempt.processed", catsAttempt);
      assertThat(mine)
          .allSatisfy(
              m ->
                  assertThat(json(m).path("data").path("user_id").asLong())
                      .isEqualTo(cat.userId()));
      assertThat(cats.next(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void aTicketOpensOneStreamOnceWithinItsMinute() {
    var eve = server.registerAndLogin("eve");
    var issued = server.post("/events/tickets", null, eve.access());
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    var ticket = issued.get("ticket").asText();
    assertThat(ticket).hasSizeGreaterThanOrEqualTo(40);
    var expires = Instant.parse(issued.get("expires_at").asText());
    assertThat(expires).isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(61));

    try (var stream = open("?ticket=" + ticket, Map.of())) {
      assertThat(stream.status()).as(stream.text()).isEqualTo(200);
      long attempt = award(eve, 90);
      var got = until(stream, "attempt.processed", attempt);
      assertThat(json(got.get(got.size() - 1)).path("data").path("user_id").asLong())
          .isEqualTo(eve.userId());
    }
    try (var again = open("?ticket=" + ticket, Map.of())) {
      assertThat(again.status()).as("a ticket is single use").isEqualTo(401);
    }
    var expiring = server.post("/events/tickets", null, eve.access()).get("ticket").asText();
    server.redis().pexpire(server.keys().streamTicket(expiring), 1);
    TestServer.await(
        "ticket expired", WAIT, () -> !server.redis().exists(server.keys().streamTicket(expiring)));
    try (var late = open("?ticket=" + expiring, Map.of())) {
      assertThat(late.status()).as("an expired ticket").isEqualTo(401);
    }
    try (var forged = open("?ticket=not-a-ticket", Map.of())) {
      assertThat(forged.status()).isEqualTo(401);
    }
  }

  @Test
  void withoutCredentialsOrWithBadOnesNothingOpens() {
    try (var anonymous = open("", Map.of())) {
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
    try (var forged = open("", Map.of("Authorization", "Bearer not.a.token"))) {
      assertThat(forged.status()).isEqualTo(401);
    }
    assertThat(server.post("/events/tickets", null, null).status()).isEqualTo(401);
    var fay = server.registerAndLogin("fay");
    for (var bad : new String[] {"-1", "x", "1.5"}) {
      try (var r =
          open("", Map.of("Authorization", "Bearer " + fay.access(), "Last-Event-ID", bad))) {
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.text()).contains("Last-Event-ID");
      }
    }
  }

  @Test
  void loggingOutEndsTheLoginsStreams() {
    var gus = server.registerAndLogin("gus");
    var ticket = server.post("/events/tickets", null, gus.access()).get("ticket").asText();
    try (var byHeader = open(gus);
        var byTicket = open("?ticket=" + ticket, Map.of())) {
      assertThat(byHeader.status()).isEqualTo(200);
      assertThat(byTicket.status()).isEqualTo(200);
      assertThat(byHeader.awaitEnd(Duration.ofMillis(1500))).isFalse();
      assertThat(server.post("/auth/logout", null, gus.access()).status()).isEqualTo(204);
      assertThat(byHeader.awaitEnd(WAIT)).as("the bearer stream ended").isTrue();
      assertThat(byTicket.awaitEnd(WAIT)).as("the ticket's stream ended").isTrue();
    }
  }

  @Test
  void theListenConnectionComesBackAfterItIsCutAndNothingCommittedMeanwhileIsLost() {
    var ivy = server.registerAndLogin("ivy");
    try (var stream = open(ivy)) {
      assertThat(stream.status()).isEqualTo(200);
      // cut this server's LISTEN connection the way a database restart or a network drop would
      int cut =
          server
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  + " WHERE application_name = 'skillquest-listen'"
                                  + " AND datname = current_database()")
                          .mapTo(Integer.class)
                          .one());
      assertThat(cut).isEqualTo(1);
      long attempt = award(ivy, 60);
      var got = until(stream, "attempt.processed", attempt);
      assertThat(json(got.get(got.size() - 1)).path("data").path("user_id").asLong())
          .isEqualTo(ivy.userId());
      TestServer.await(
          "listening again",
          WAIT,
          () ->
              server
                      .jdbi()
                      .withHandle(
                          h ->
                              h.createQuery(
                                      "SELECT count(*) FROM pg_stat_activity"
                                          + " WHERE application_name = 'skillquest-listen'"
                                          + " AND datname = current_database()")
                                  .mapTo(Integer.class)
                                  .one())
                  == 1);
    }
  }
}
