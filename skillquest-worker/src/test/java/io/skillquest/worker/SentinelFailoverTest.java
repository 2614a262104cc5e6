package io.skillquest.worker;

import static io.skillquest.store.testing.StoreFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RedisSentinelFixture;
import io.skillquest.store.testing.StoreFixture;
import io.skillquest.store.testing.TestStores;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisSentineled;

/**
 * The worker on {@code SKILLQUEST_REDIS_URL=redis-sentinel://...}: a real master, replica and
 * sentinel. It drains the queue through the sentinel-named master, and after the master crashes and
 * the sentinel promotes the replica, both its shared client and its BRPOP client follow.
 */
class SentinelFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theWorkerDrainsTheQueueThroughSentinelsAndFollowsAFailover() {
    try (var group = new RedisSentinelFixture();
        var stores = new StoreFixture(TestStores.fresh().withRedisUrl(group.url()));
        var worker = Workers.fast(stores)) {
      assertThat(stores.redis).isInstanceOf(JedisSentineled.class);
      worker.start();
      long user = stores.user();
      long challenge = stores.challenge(100, 60);
      stores.submitAndEnqueue(user, challenge, 50);
      eventually(WAIT, () -> assertThat(stores.totalXp(user)).isEqualTo(50));
      eventually(WAIT, stores::assertLeaderboardAgrees);

      int before = group.masterPort();
      assertThat(before).isEqualTo(group.master.port);
      group.master.close(); // a crash: the sentinel promotes the replica
      eventually(WAIT, () -> assertThat(group.masterPort()).isEqualTo(group.replica.port));

      long later = stores.submitted(user, stores.challenge(200, 60), 90);
      eventually(WAIT, () -> stores.enqueue(later));
      // the BRPOP client took it from the new master (the sweep alone would leave it queued)
      eventually(WAIT, () -> assertThat(stores.redis.llen(stores.keys.queue())).isZero());
      eventually(WAIT, () -> assertThat(stores.totalXp(user)).isEqualTo(50 + 180));
      eventually(WAIT, stores::assertConsistent);
      try (var node = group.replica.client()) {
        assertThat(node.info("replication")).contains("role:master");
      }
    }
  }
}
