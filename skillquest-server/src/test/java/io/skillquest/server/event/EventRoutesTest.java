package io.skillquest.server.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /events with the in-process worker writing the outbox. */
class EventRoutesTest {
  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  static TestServer.Tokens ada;
  static TestServer.Tokens bob;
  static long adaAttempt;

  @BeforeAll
  static void awards() {
    ada = server.registerAndLogin("ada-events");
    bob = server.registerAndLogin("bob-events");
    long challenge = Fixtures.publishedChallenge(server, 300);
    adaAttempt = attempt(ada, challenge, 100);
    attempt(bob, challenge, 40);
    attempt(bob, challenge, 50);
  }

  private static long attempt(TestServer.Tokens who, long challenge, int score) {
    var started = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    long id = started.get("id").asLong();
    var submitted =
        server.post("/attempts/" + id + "/submit", Map.of("score", score), who.access());
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    TestServer.await(
        "attempt " + id + " processed",
        Duration.ofSeconds(15),
        () ->
            !server
                .get("/attempts/" + id, who.access())
                .get("status")
                .asText()
                .equals("submitted"));
    return id;
  }

  private static List<JsonNode> events(String query, String token) {
    var r = server.get("/events" + query, token);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    var out = new ArrayList<JsonNode>();
    r.body().forEach(out::add);
    return out;
  }

  @Test
  void aUserReadsOnlyTheirOwnEventsOldestFirst() {
    var mine = events("", ada.access());
    assertThat(mine)
        .extracting(e -> e.get("type").asText())
        .containsExactly("attempt.processed", "level.reached");
    var processed = mine.get(0);
    assertThat(processed.fieldNames())
        .toIterable()
        .containsExactly("id", "type", "created_at", "data");
    assertThat(processed.get("data").get("attempt_id").asLong()).isEqualTo(adaAttempt);
    assertThat(processed.get("data").get("user_id").asLong()).isEqualTo(ada.userId());
    assertThat(processed.get("data").get("xp_awarded").asInt()).isEqualTo(300);
    assertThat(processed.get("data").get("total_xp").asLong()).isEqualTo(300);
    assertThat(processed.get("data").get("level").asInt()).isEqualTo(2);
    assertThat(processed.get("data").get("status").asText()).isEqualTo("passed");
    assertThat(mine.get(1).get("data").get("level").asInt()).isEqualTo(2);
    assertThat(mine.get(1).get("id").asLong()).isGreaterThan(processed.get("id").asLong());

    var bobs = events("", bob.access());
    assertThat(bobs)
        .hasSize(3)
        .allMatch(e -> e.get("data").get("user_id").asLong() == bob.userId());
  }

  @Test
  void anAdminReadsEveryonesEventsInPagesAfterAnId() {
    String admin = server.adminToken();
    var all = events("?limit=1000", admin);
    assertThat(all).hasSizeGreaterThanOrEqualTo(5);
    assertThat(all).extracting(e -> e.get("id").asLong()).isSorted().doesNotHaveDuplicates();
    var firstTwo = events("?limit=2", admin);
    assertThat(firstTwo).containsExactlyElementsOf(all.subList(0, 2));
    var rest = events("?after=" + firstTwo.get(1).get("id").asLong() + "&limit=1000", admin);
    assertThat(rest).containsExactlyElementsOf(all.subList(2, all.size()));
    assertThat(events("?after=" + all.get(all.size() - 1).get("id").asLong(), admin)).isEmpty();
  }

  @Test
  void badParametersAre400AndAnonymousCallersAre401() {
    for (var query :
        List.of(
            "?after=-1",
            "?after=x",
            "?after=99999999999999999999",
            "?limit=0",
            "?limit=1001",
            "?limit=ten")) {
      var r = server.get("/events" + query, ada.access());
      assertThat(r.status()).as(query + " " + r).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(server.get("/events", null).status()).isEqualTo(401);
  }
}
