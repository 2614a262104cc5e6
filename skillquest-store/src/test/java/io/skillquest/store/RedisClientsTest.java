package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.store.testing.RedisClusterFixture;
import io.skillquest.store.testing.TestStores;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisClientsTest {

  private final StoreConfig single = TestStores.fresh();
  private final StoreConfig cluster = single.withRedisUrl(RedisClusterFixture.shared().url());

  @Test
  void theUrlChoosesTheClient() {
    try (var a = RedisClients.pooled(single);
        var b = RedisClients.pooled(cluster)) {
      assertThat(a).isInstanceOf(JedisPooled.class);
      assertThat(b).isInstanceOf(JedisCluster.class);
    }
  }

  @Test
  void theBlockingClientWaitsOutItsTimeoutAndPopsWhatTheSharedClientPushes() {
    for (var config : List.of(single, cluster)) {
      String queue = config.keys().queue();
      try (var shared = RedisClients.pooled(config, 2);
          var blocking = RedisClients.blocking(config)) {
        // the socket must outlast BRPOP's own timeout: an empty pop answers null, not a timeout
        int seconds = (int) RedisClients.BRPOP_TIMEOUT.toSeconds();
        assertThat(blocking.brpop(seconds, queue)).as(config.redisUrl()).isNull();
        shared.lpush(queue, "task");
        assertThat(blocking.brpop(seconds, queue)).containsExactly(queue, "task");
      }
    }
  }

  @Test
  void aClusterOrSentinelGroupThatNobodyAnswersForIsNamedWithoutItsPassword() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    for (var url :
        List.of(
            "redis-cluster://:pw-9@127.0.0.1:" + closed,
            "redis-sentinel://:pw-9@127.0.0.1:" + closed + "/main")) {
      assertThatThrownBy(() -> RedisClients.pooled(single.withRedisUrl(url)))
          .isInstanceOf(JedisConnectionException.class)
          .hasMessageContaining("SKILLQUEST_REDIS_URL")
          .hasMessageContaining("127.0.0.1:" + closed)
          .hasMessageNotContaining("pw-9");
    }
  }

  @Test
  void keysInDifferentSlotsAreCheckedOneByOneInACluster() {
    var keys = cluster.keys();
    String token = keys.revokedToken("some-jti");
    String family = keys.revokedFamily(java.util.UUID.randomUUID());
    try (var redis = RedisClients.pooled(cluster)) {
      // the reason for anyExists: one EXISTS over two slots is refused
      assertThatThrownBy(() -> redis.exists(token, family))
          .isInstanceOf(JedisClusterOperationException.class);
      assertThat(RedisClients.anyExists(redis, token, family)).isFalse();
      redis.set(family, "1");
      assertThat(RedisClients.anyExists(redis, token, family)).isTrue();
      redis.del(family);
    }
  }
}
