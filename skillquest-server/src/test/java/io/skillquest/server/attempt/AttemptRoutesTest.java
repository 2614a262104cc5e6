package io.skillquest.server.attempt;

import static io.skillquest.server.challenge.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.queue.AwardTask;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Attempt routes without the worker, so submitted attempts stay {@code submitted}. */
class AttemptRoutesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static TestServer.Tokens alice;
  static TestServer.Tokens bob;
  static long challenge;

  @BeforeAll
  static void start() {
    alice = server.registerAndLogin("alice");
    bob = server.registerAndLogin("bob");
    challenge = Fixtures.publishedChallenge(server, 100);
  }

  private static TestServer.Response start(long challengeId, String token) {
    return server.post("/attempts", Map.of("challenge_id", challengeId), token);
  }

  private static long started(TestServer.Tokens who) {
    var r = start(challenge, who.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
  }

  private static TestServer.Response submit(long attempt, Object body, String token) {
    return server.post("/attempts/" + attempt + "/submit", body, token);
  }

  private static void assertInvalid(TestServer.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.get("errors").has(field)).as(r.toString()).isTrue();
  }

  @Test
  void startingAnAttemptReturnsItStarted() {
    var r = start(challenge, alice.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long id = r.get("id").asLong();
    assertThat(r.header("Location")).isEqualTo("/api/v1/attempts/" + id);
    assertThat(r.get("challenge_id").asLong()).isEqualTo(challenge);
    assertThat(r.get("user_id").asLong()).isEqualTo(alice.userId());
    assertThat(r.get("status").asText()).isEqualTo("started");
    assertThat(r.get("score").isNull()).isTrue();
    assertThat(r.get("xp_awarded").asInt()).isZero();
    assertThat(r.get("started_at").isTextual()).isTrue();
    assertThat(r.get("submitted_at").isNull()).isTrue();
    assertThat(r.get("processed_at").isNull()).isTrue();
  }

  @Test
  void onlyVisibleChallengesCanBeAttempted() {
    long draft = Fixtures.challenge(server, "draft", 10, 60, false, List.of());
    long deleted = Fixtures.publishedChallenge(server, 10);
    assertThat(server.delete("/challenges/" + deleted, server.adminToken()).status())
        .isEqualTo(204);

    assertThat(start(draft, alice.access()).status()).isEqualTo(404);
    assertThat(start(deleted, alice.access()).status()).isEqualTo(404);
    assertThat(start(deleted, server.adminToken()).status()).isEqualTo(404);
    assertThat(start(999_999_999L, alice.access()).status()).isEqualTo(404);
    assertThat(start(draft, server.adminToken()).status())
        .as("admins may try drafts")
        .isEqualTo(201);
  }

  @Test
  void startRejectsBadBodiesAndAnonymousCallers() {
    assertInvalid(server.post("/attempts", Map.of(), alice.access()), "challenge_id");
    assertInvalid(
        server.post("/attempts", json("challenge_id", null), alice.access()), "challenge_id");
    assertInvalid(
        server.post("/attempts", Map.of("challenge_id", String.valueOf(challenge)), alice.access()),
        "challenge_id");
    assertInvalid(
        server.post(
            "/attempts",
            Map.of("challenge_id", challenge, "user_id", bob.userId()),
            alice.access()),
        "user_id");
    assertThat(server.post("/attempts", "{", alice.access()).status()).isEqualTo(400);
    assertThat(server.post("/attempts", "null", alice.access()).status()).isEqualTo(400);
    assertThat(server.post("/attempts", Map.of("challenge_id", challenge), null).status())
        .isEqualTo(401);
    assertThat(server.post("/attempts", Map.of("challenge_id", challenge), "not-a-token").status())
        .isEqualTo(401);
  }

  @Test
  void submitCommitsTheScoreAndEnqueuesAnAwardTask() {
    long id = started(alice);
    var r = submit(id, Map.of("score", 85), alice.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.get("status").asText()).isEqualTo("submitted");
    assertThat(r.get("score").asInt()).isEqualTo(85);
    assertThat(r.get("submitted_at").isTextual()).isTrue();
    assertThat(r.get("processed_at").isNull()).isTrue();
    assertThat(r.get("xp_awarded").asInt()).isZero();

    var tasks =
        server.redis().lrange(server.keys().queue(), 0, -1).stream().map(AwardTask::parse).toList();
    assertThat(tasks).anySatisfy(t -> assertThat(t.attemptId()).isEqualTo(id));
    assertThat(server.get("/attempts/" + id, alice.access()).get("status").asText())
        .isEqualTo("submitted");
  }

  @Test
  void scoresAtTheBoundariesAreAccepted() {
    assertThat(submit(started(alice), Map.of("score", 0), alice.access()).status()).isEqualTo(202);
    assertThat(submit(started(alice), Map.of("score", 100), alice.access()).status())
        .isEqualTo(202);
  }

  @Test
  void aSecondSubmitIsAConflict() {
    long id = started(alice);
    assertThat(submit(id, Map.of("score", 70), alice.access()).status()).isEqualTo(202);
    var again = submit(id, Map.of("score", 100), alice.access());
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(server.get("/attempts/" + id, alice.access()).get("score").asInt()).isEqualTo(70);
  }

  @Test
  void nobodyElseCanSeeOrSubmitAnAttempt() {
    long id = started(alice);
    var r = submit(id, Map.of("score", 90), bob.access());
    assertThat(r.status()).as("never reveal others' attempts").isEqualTo(404);
    assertThat(server.get("/attempts/" + id, bob.access()).status()).isEqualTo(404);
    assertThat(submit(id, Map.of("score", 90), server.adminToken()).status()).isEqualTo(404);
    assertThat(server.get("/attempts/" + id, alice.access()).get("status").asText())
        .isEqualTo("started");
    // bob cannot tell a submitted attempt of alice's from a missing one either
    assertThat(submit(id, Map.of("score", 90), alice.access()).status()).isEqualTo(202);
    assertThat(submit(id, Map.of("score", 90), bob.access()).status()).isEqualTo(404);
  }

  @Test
  void submitRejectsBadScores() {
    long id = started(alice);
    assertInvalid(submit(id, Map.of("score", 101), alice.access()), "score");
    assertInvalid(submit(id, Map.of("score", -1), alice.access()), "score");
    assertInvalid(submit(id, Map.of("score", 50.5), alice.access()), "score");
    assertInvalid(submit(id, Map.of("score", "50"), alice.access()), "score");
    assertInvalid(submit(id, Map.of("score", true), alice.access()), "score");
    assertInvalid(submit(id, Map.of(), alice.access()), "score");
    assertInvalid(submit(id, json("score", null), alice.access()), "score");
    assertInvalid(submit(id, Map.of("score", 50, "status", "passed"), alice.access()), "status");
    assertThat(submit(id, "{\"score\": 1e3}", alice.access()).status()).isEqualTo(400);
    assertThat(submit(id, "{\"score\": 99999999999999999999999}", alice.access()).status())
        .isEqualTo(400);
    assertThat(submit(id, "", alice.access()).status()).isEqualTo(400);
    assertThat(server.get("/attempts/" + id, alice.access()).get("status").asText())
        .isEqualTo("started");
    assertThat(submit(id, Map.of("score", 50), null).status()).isEqualTo(401);
  }

  @Test
  void malformedAttemptIdsAre400AndMissingOnes404() {
    for (var id : List.of("abc", "0", "-5", "999999999", "1.5")) {
      int expected = id.equals("999999999") ? 404 : 400;
      assertThat(
              server
                  .post("/attempts/" + id + "/submit", Map.of("score", 50), alice.access())
                  .status())
          .as(id)
          .isEqualTo(expected);
      assertThat(server.get("/attempts/" + id, alice.access()).status()).as(id).isEqualTo(expected);
    }
    assertThat(server.get("/attempts/1", null).status()).isEqualTo(401);
  }

  @Test
  void listingShowsOnlyMyAttemptsNewestFirst() {
    var carol = server.registerAndLogin("carol");
    long first = started(carol);
    long second = started(carol);
    long third = started(carol);
    assertThat(submit(second, Map.of("score", 10), carol.access()).status()).isEqualTo(202);
    started(bob);

    var all = server.get("/attempts", carol.access());
    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    assertThat(ids(all)).containsExactly(third, second, first);
    assertThat(all.get("total").asLong()).isEqualTo(3);
    assertThat(all.get("limit").asInt()).isEqualTo(20);
    assertThat(all.get("offset").asInt()).isZero();

    assertThat(ids(server.get("/attempts?status=submitted", carol.access())))
        .containsExactly(second);
    assertThat(ids(server.get("/attempts?status=started", carol.access())))
        .containsExactly(third, first);
    assertThat(ids(server.get("/attempts?status=passed", carol.access()))).isEmpty();
    var page = server.get("/attempts?limit=1&offset=1", carol.access());
    assertThat(ids(page)).containsExactly(second);
    assertThat(page.get("total").asLong()).isEqualTo(3);
  }

  @Test
  void listingRejectsBadParametersAndAnonymousCallers() {
    assertInvalid(server.get("/attempts?status=won", alice.access()), "status");
    assertInvalid(server.get("/attempts?limit=0", alice.access()), "limit");
    assertInvalid(server.get("/attempts?limit=101", alice.access()), "limit");
    assertInvalid(server.get("/attempts?offset=-1", alice.access()), "offset");
    assertThat(server.get("/attempts", null).status()).isEqualTo(401);
  }

  private static List<Long> ids(TestServer.Response r) {
    return StreamSupport.stream(r.get("items").spliterator(), false)
        .map(n -> n.path("id").asLong())
        .toList();
  }
}
