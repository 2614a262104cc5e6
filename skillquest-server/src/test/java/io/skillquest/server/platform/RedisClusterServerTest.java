package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import io.skillquest.store.testing.RedisClusterFixture;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisCluster;

/**
 * The server with its embedded worker on {@code SKILLQUEST_REDIS_URL=redis-cluster://...}, a real
 * three-master Redis Cluster: every feature that keeps state in Redis works unchanged, and the
 * client refuses any multi-key command whose keys are in different slots, so a missing hash tag
 * would fail here.
 */
class RedisClusterServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .redisUrl(RedisClusterFixture.shared().url())
          .env("SKILLQUEST_LOGIN_FAILURE_LIMIT", "3/1m")
          .extension();

  @Test
  void theServerTalksToTheClusterAndReportsItHealthy() {
    assertThat(server.redis()).isInstanceOf(JedisCluster.class);
    assertThat(server.stores().redisUrl()).startsWith("redis-cluster://");
    var health = server.call("GET", "/health", null, null);
    assertThat(health.status()).as(health.toString()).isEqualTo(200);
  }

  @Test
  void submissionsAreAwardedAndRankedOnTheAllTimeAndPeriodBoardsAndTheyRebuild() {
    long challenge = Fixtures.publishedChallenge(server, 200);
    var ann = server.registerAndLogin("cluster-ann");
    var ben = server.registerAndLogin("cluster-ben");
    awardedAttempt(ann, challenge, 90);
    awardedAttempt(ben, challenge, 50);

    assertBoard("/leaderboard", ann.userId(), 180);
    assertBoard("/leaderboard?period=week", ann.userId(), 180);
    assertThat(server.redis().exists(server.keys().leaderboard())).isTrue();

    // Redis loses the boards: reads fall back to SQL and the sets are rebuilt (the copy is built
    // aside and swapped in by a script over four keys, which must share one slot)
    server.redis().del(server.keys().leaderboard(), server.keys().leaderboardMembers());
    String week = PeriodWindow.containing(Period.WEEK, Instant.now(), ZoneOffset.UTC).id();
    server.redis().del(server.keys().periodBoard(week), server.keys().periodBoardMembers(week));
    assertBoard("/leaderboard", ann.userId(), 180);
    assertBoard("/leaderboard?period=week", ann.userId(), 180);
    TestServer.await(
        "boards rebuilt",
        WAIT,
        () ->
            server.redis().exists(server.keys().leaderboard())
                && server.redis().exists(server.keys().periodBoard(week)));
    var me = server.get("/leaderboard/me", ben.access());
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.body().toString()).contains("\"total_xp\":100");
  }

  @Test
  void anIdempotencyKeyReplaysTheStoredResponse() {
    long challenge = Fixtures.publishedChallenge(server, 100);
    var cal = server.registerAndLogin("cluster-cal");
    var first = postWithKey("/attempts", Map.of("challenge_id", challenge), cal.access(), "k-1");
    var again = postWithKey("/attempts", Map.of("challenge_id", challenge), cal.access(), "k-1");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.get("id").asLong()).isEqualTo(first.get("id").asLong());
  }

  @Test
  void failedLoginsAreLimitedAndALoggedOutTokenIsRevoked() {
    var dee = server.registerAndLogin("cluster-dee");
    for (int i = 0; i < 3; i++) {
      assertThat(login("cluster-dee", "wrong-" + i).status()).isEqualTo(401);
    }
    var limited = login("cluster-dee", "wrong-again");
    assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isNotBlank();

    assertThat(server.get("/auth/me", dee.access()).status()).isEqualTo(200);
    assertThat(server.post("/auth/logout", null, dee.access()).status()).isEqualTo(204);
    assertThat(server.get("/auth/me", dee.access()).status()).isEqualTo(401);
  }

  @Test
  void anApiClientsRevocationMarkerAndRateLimitAreCheckedInOneScriptAndRevocationHolds() {
    var created =
        server.post(
            "/admin/clients",
            Map.of("name", "cluster-grader", "scopes", List.of("grade")),
            server.adminToken());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String secret = created.get("secret").asText();
    // authenticated (the marker and counter share a tag), then 404 for the unknown attempt
    var call = server.post("/grader/attempts/999999/score", Map.of("score", 50), secret);
    assertThat(call.status()).as(call.toString()).isEqualTo(404);
    long id = created.get("id").asLong();
    assertThat(server.delete("/admin/clients/" + id, server.adminToken()).status()).isEqualTo(204);
    var refused = server.post("/grader/attempts/999999/score", Map.of("score", 50), secret);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
  }

  @Test
  void aPoisonMessageIsSetAsideInTheQueuesSlot() {
    server.redis().lpush(server.keys().queue(), "not an award task");
    TestServer.await(
        "dead letter stored",
        WAIT,
        () ->
            server.redis().lrange(server.keys().deadLetters(), 0, -1).stream()
                .anyMatch(l -> l.contains("not an award task")));
  }

  private static void awardedAttempt(TestServer.Tokens who, long challenge, int score) {
    var started = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    long id = started.get("id").asLong();
    var submitted =
        server.post("/attempts/" + id + "/submit", Map.of("score", score), who.access());
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    TestServer.await(
        "attempt " + id + " processed",
        WAIT,
        () -> server.get("/attempts/" + id, who.access()).get("processed_at").isTextual());
  }

  private static void assertBoard(String path, long leader, long xp) {
    var r = server.get(path, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var top = r.body().get(0);
    assertThat(top.path("user_id").asLong()).as(path + ": " + r).isEqualTo(leader);
    assertThat(top.path("rank").asInt()).isEqualTo(1);
    assertThat(top.has("xp") ? top.path("xp").asLong() : top.path("total_xp").asLong())
        .isEqualTo(xp);
  }

  private static TestServer.Response login(String username, String password) {
    return server.post("/auth/login", Map.of("username", username, "password", password), null);
  }

  private static TestServer.Response postWithKey(
      String path, Object body, String token, String key) {
    var headers = new LinkedHashMap<String, String>();
    headers.put("Authorization", "Bearer " + token);
    headers.put("Content-Type", "application/json");
    headers.put("Idempotency-Key", key);
    return server.send(
        "POST",
        TestServer.API + path,
        HttpRequest.BodyPublishers.ofString(TestServer.toJson(body)),
        headers);
  }
}
