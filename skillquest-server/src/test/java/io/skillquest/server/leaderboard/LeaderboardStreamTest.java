package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.SseReader;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /leaderboard/stream over real HTTP: rows on connect, again on a change, never idle noise. */
class LeaderboardStreamTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  private SseReader open(String query) {
    return SseReader.open(server.baseUrl() + "/api/v1/leaderboard/stream" + query, Map.of());
  }

  private void award(TestServer.Tokens who, long challenge, int score) {
    var started = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    long id = started.get("id").asLong();
    var submitted =
        server.post("/attempts/" + id + "/submit", Map.of("score", score), who.access());
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
  }

  @Test
  void pushesTheRowsOnConnectThenOnlyWhenTheyChange() {
    long challenge = Fixtures.publishedChallenge(server, 100);
    var ada = server.registerAndLogin("ada");
    try (var a = open("?limit=5");
        var b = open("?limit=5")) {
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).startsWith("text/event-stream");
      var first = a.next(WAIT);
      assertThat(first).as(a.text()).isNotNull();
      assertThat(first.event()).isEqualTo("leaderboard");
      assertThat(TestServer.toJsonTree(first.data()))
          .isNotNull()
          .satisfies(
              ignored ->
                  assertThat(server.get("/leaderboard?limit=5", null).text())
                      .isEqualTo(first.data()));
      // the same board shape is read once and sent to both as the same bytes
      var firstOfB = b.next(WAIT);
      assertThat(firstOfB).isNotNull();
      assertThat(firstOfB.data()).isEqualTo(first.data());

      // nothing changed: nothing is sent (the poller reads every second)
      assertThat(a.next(Duration.ofMillis(2500))).as("no change, no push").isNull();

      award(ada, challenge, 90);
      var changed = a.next(WAIT);
      assertThat(changed).as(a.text()).isNotNull();
      assertThat(changed.data()).contains("\"username\":\"ada\"").contains("\"total_xp\":90");
      var changedForB = b.next(WAIT);
      assertThat(changedForB).isNotNull();
      assertThat(changedForB.data()).isEqualTo(changed.data());
    }
  }

  @Test
  void periodBoardsStreamTheirOwnRows() {
    try (var week = open("?limit=3&period=week&ranking=competition")) {
      assertThat(week.status()).isEqualTo(200);
      var first = week.next(WAIT);
      assertThat(first).as(week.text()).isNotNull();
      assertThat(first.data())
          .isEqualTo(
              server.get("/leaderboard?limit=3&period=week&ranking=competition", null).text());
    }
  }

  @Test
  void badParametersAreProblemsBeforeAnyStreamStarts() {
    for (var query : new String[] {"?limit=0", "?limit=101", "?limit=x", "?period=year"}) {
      try (var r = open(query)) {
        assertThat(r.status()).as(query).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      }
    }
  }

  @Test
  void aClientThatDoesNotAcceptEventStreamsIsTold() {
    var r = server.get("/leaderboard/stream", null);
    assertThat(r.status()).isEqualTo(406);
    assertThat(r.get("detail").asText()).contains("text/event-stream");
  }
}
