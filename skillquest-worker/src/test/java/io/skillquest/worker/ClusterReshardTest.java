package io.skillquest.worker;

import static io.skillquest.store.testing.StoreFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.OnRedisCluster;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.RedisClusterFixture;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A running worker while the cluster moves the queue's slot and the boards' slot to other nodes
 * (keys migrated, MOVED and ASK answered to clients): its BRPOP client and its shared client follow
 * the redirections, and nothing is lost or doubled.
 */
@ExtendWith(RealStores.class)
@OnRedisCluster
class ClusterReshardTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theWorkerKeepsDrainingWhileTheQueueAndBoardSlotsMoveToOtherNodes(StoreFixture stores) {
    var cluster = RedisClusterFixture.shared();
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      users.add(stores.user());
    }
    long challenge = stores.challenge(100, 60);
    long other = stores.challenge(300, 60);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      for (int i = 0; i < 20; i++) {
        stores.submitAndEnqueue(users.get(i % 5), i % 2 == 0 ? challenge : other, 40 + i);
      }
      int queueWas = cluster.portOf(stores.keys.queue());
      int boardWas = cluster.portOf(stores.keys.leaderboard());
      assertThat(cluster.moveSlotOf(stores.keys.queue())).isNotEqualTo(queueWas);
      assertThat(cluster.moveSlotOf(stores.keys.leaderboard())).isNotEqualTo(boardWas);
      assertThat(cluster.portOf(stores.keys.deadLetters()))
          .as("the dead letters moved with the queue's slot")
          .isEqualTo(cluster.portOf(stores.keys.queue()));

      for (int i = 20; i < 40; i++) {
        stores.submitAndEnqueue(users.get(i % 5), i % 2 == 0 ? challenge : other, 40 + i);
      }
      eventually(WAIT, () -> assertThat(stores.redis.llen(stores.keys.queue())).isZero());
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      eventually(WAIT, stores::assertConsistent);
    }
  }
}
