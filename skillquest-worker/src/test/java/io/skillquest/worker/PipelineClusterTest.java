package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.OnRedisCluster;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisCluster;

/**
 * The running worker's suite again against a real three-master Redis Cluster: BRPOP through the
 * cluster client, batches, dead letters and their replay, the leaderboard healed after Redis lost
 * everything, retroactive badges. (The outage test stops the single embedded server, so it is not
 * repeated here.)
 */
@ExtendWith(RealStores.class)
@OnRedisCluster
class PipelineClusterTest extends PipelineTest {

  @Override
  void attemptsSubmittedAndGradedDuringARedisOutageAreProcessedByTheSweep() {
    // overridden without @Test: not run against the shared cluster
  }

  @Test
  void theWorkerTalksToTheCluster(StoreFixture stores) {
    assertThat(stores.redis).isInstanceOf(JedisCluster.class);
    assertThat(stores.config.redisUrl()).startsWith("redis-cluster://");
  }
}
