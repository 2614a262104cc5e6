package io.skillquest.worker;

import static io.skillquest.store.testing.StoreFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RedisClusterFixture;
import io.skillquest.store.testing.StoreFixture;
import io.skillquest.store.testing.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster with a replica per master loses the master serving the boards and then the one
 * serving the queue while the worker runs: the replicas take over, the worker's clients find the
 * new masters, and nothing is lost or doubled (what the failover dropped from Redis is healed from
 * the database).
 */
class ClusterFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void theWorkerRidesOutMasterFailoversOfTheBoardAndQueueSlots() {
    try (var cluster = RedisClusterFixture.withReplicas();
        var stores = new StoreFixture(TestStores.fresh().withRedisUrl(cluster.url()));
        var worker = Workers.fast(stores)) {
      worker.start();
      List<Long> users = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        users.add(stores.user());
      }
      long challenge = stores.challenge(100, 60);
      long other = stores.challenge(300, 60);
      for (int i = 0; i < 10; i++) {
        stores.submitAndEnqueue(users.get(i % 5), i % 2 == 0 ? challenge : other, 50 + i);
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());

      int boardWas = cluster.portOf(stores.keys.leaderboard());
      assertThat(cluster.killMasterOf(stores.keys.leaderboard())).isNotEqualTo(boardWas);
      if (cluster.portOf(stores.keys.queue()) != cluster.portOf(stores.keys.leaderboard())) {
        cluster.killMasterOf(stores.keys.queue());
      }

      for (int i = 10; i < 20; i++) {
        long id = stores.submitted(users.get(i % 5), i % 2 == 0 ? challenge : other, 50 + i);
        eventually(WAIT, () -> stores.enqueue(id));
      }
      eventually(WAIT, () -> assertThat(stores.redis.llen(stores.keys.queue())).isZero());
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      eventually(WAIT, stores::assertConsistent);
    }
  }
}
