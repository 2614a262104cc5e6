package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import io.skillquest.store.testing.RedisSentinelFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisSentineled;

/** The server and its embedded worker on {@code SKILLQUEST_REDIS_URL=redis-sentinel://...}. */
class RedisSentinelServerTest {

  @Test
  void theServerFindsTheMasterThroughTheSentinelAndAwardsThroughIt() {
    try (var group = new RedisSentinelFixture();
        var server = TestServer.builder().redisUrl(group.url()).start()) {
      assertThat(server.redis()).isInstanceOf(JedisSentineled.class);
      assertThat(server.call("GET", "/health", null, null).status()).isEqualTo(200);

      long challenge = Fixtures.publishedChallenge(server, 100);
      var eva = server.registerAndLogin("sentinel-eva");
      var started = server.post("/attempts", Map.of("challenge_id", challenge), eva.access());
      long id = started.get("id").asLong();
      assertThat(
              server
                  .post("/attempts/" + id + "/submit", Map.of("score", 70), eva.access())
                  .status())
          .isEqualTo(202);
      TestServer.await(
          "awarded",
          Duration.ofSeconds(20),
          () -> server.get("/users/me/progress", eva.access()).get("total_xp").asLong() == 70);
      assertThat(server.get("/leaderboard", null).body().get(0).path("user_id").asLong())
          .isEqualTo(eva.userId());
      try (var master = group.master.client()) {
        assertThat(master.exists(server.keys().leaderboard())).isTrue();
      }
    }
  }
}
