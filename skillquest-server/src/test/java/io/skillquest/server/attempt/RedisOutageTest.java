package io.skillquest.server.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import io.skillquest.store.testing.TestStores;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis holds only the queue and a derived leaderboard: while it is down, submits still commit and
 * reads fall back to SQL. Skipped unless the tests run on the embedded Redis (which they can stop).
 */
class RedisOutageTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  @Test
  void submitSucceedsAndReadsFallBackToSqlWhileRedisIsDown() {
    TestStores.redis(); // skips this test when Redis is not embedded
    long challenge = Fixtures.publishedChallenge(server, 100);
    var gina = server.registerAndLogin("gina");
    var hank = server.registerAndLogin("hank");
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE users SET total_xp = 900, level = 4, xp_reached_at = now() - interval '1 hour' WHERE id = ?",
                    hank.userId()));
    var started = server.post("/attempts", Map.of("challenge_id", challenge), gina.access());
    long id = started.get("id").asLong();

    try (var outage = TestStores.redisOutage()) {
      var submitted =
          server.post("/attempts/" + id + "/submit", Map.of("score", 75), gina.access());
      assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
      assertThat(submitted.get("status").asText()).isEqualTo("submitted");
      String status =
          server
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT status || ':' || score FROM attempts WHERE id = :id")
                          .bind("id", id)
                          .mapTo(String.class)
                          .one());
      assertThat(status).isEqualTo("submitted:75");

      var board = server.get("/leaderboard", null);
      assertThat(board.status()).as(board.toString()).isEqualTo(200);
      assertThat(board.body().get(0).path("user_id").asLong()).isEqualTo(hank.userId());
      assertThat(board.body().get(0).path("total_xp").asLong()).isEqualTo(900);
      assertThat(board.body().get(0).path("level").asInt()).isEqualTo(4);
      assertThat(board.body().get(0).path("rank").asLong()).isEqualTo(1);
      assertThat(board.body().size()).isEqualTo(3); // admin, gina, hank

      var me = server.get("/leaderboard/me?around=1", hank.access());
      assertThat(me.status()).as(me.toString()).isEqualTo(200);
      assertThat(me.get("rank").asLong()).isEqualTo(1);
      assertThat(me.get("neighbours")).hasSize(2);

      var progress = server.get("/users/me/progress", hank.access());
      assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
      assertThat(progress.get("rank").asLong()).isEqualTo(1);
      assertThat(progress.get("total_xp").asLong()).isEqualTo(900);
    }

    // Redis came back empty: the first read answers from SQL and starts rebuilding the board from
    // the database
    TestServer.await(
        "Redis answers again",
        java.time.Duration.ofSeconds(10),
        () -> {
          try {
            var r = server.get("/leaderboard", null);
            return r.status() == 200 && r.body().isArray() && r.body().size() == 3;
          } catch (RuntimeException e) {
            return false;
          }
        });
    var board = server.get("/leaderboard", null);
    assertThat(board.body().size()).as(board.toString()).isEqualTo(3);
    assertThat(board.body().get(0).path("user_id").asLong()).isEqualTo(hank.userId());
    TestServer.await(
        "the sorted set rebuilt",
        java.time.Duration.ofSeconds(10),
        () -> server.redis().zcard(server.keys().leaderboard()) == 3);
  }
}
