package io.skillquest.store.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.ScoreCodec;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.exceptions.JedisDataException;

@ExtendWith(RealStores.class)
class LeaderboardStoreTest {

  private StoreFixture stores;
  private LeaderboardStore rebuilder;

  @BeforeEach
  void open(StoreFixture fresh) {
    stores = fresh;
    rebuilder = new LeaderboardStore(stores.jdbi, stores.redis, stores.keys);
  }

  @AfterEach
  void close() {
    rebuilder.close();
  }

  @Test
  void aMissingSortedSetIsRebuiltWithEveryUserIncludingZeroXp() {
    for (int i = 0; i < 25; i++) {
      stores.user();
    }
    stores.jdbi.useHandle(
        h -> h.execute("UPDATE users SET total_xp = id * 10, level = 1 WHERE id % 2 = 0"));
    stores.jdbi.useHandle(
        h -> h.execute("UPDATE users SET level = floor(sqrt(total_xp / 100)) + 1"));
    stores.redis.del(stores.keys.leaderboard());
    assertThat(rebuilder.ensurePresent()).isTrue();
    assertThat(rebuilder.ensurePresent()).isFalse();
    stores.assertLeaderboardAgrees();
    assertThat(stores.redis.ttl(stores.keys.leaderboard()))
        .as("no expiry carried over from the copy")
        .isEqualTo(-1);
  }

  @Test
  void aRebuildNeverLowersAScoreWrittenMeanwhileAndDropsDeletedUsers() {
    long user = stores.user();
    long gone = stores.user();
    // a newer, higher score than the database shows, as an award's ZADD GT racing the rebuild would
    // leave
    double ahead = ScoreCodec.encode(500, Instant.now());
    stores.redis.zadd(stores.keys.leaderboard(), ahead, Long.toString(user));
    stores.jdbi.useHandle(h -> h.execute("DELETE FROM users WHERE id = ?", gone));
    stores.redis.zadd(stores.keys.leaderboard(), 1, "not-a-user");
    rebuilder.rebuild();
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), Long.toString(user)))
        .isEqualTo(ahead);
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), Long.toString(gone))).isNull();
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), "not-a-user")).isNull();
    assertThat(stores.redis.exists(stores.keys.leaderboardLock())).isFalse();
  }

  @Test
  void aSortedSetMissingMembersIsFoundStaleAndRebuilt() {
    for (int i = 0; i < 5; i++) {
      stores.user();
    }
    long lost = stores.user();
    stores.redis.zrem(stores.keys.leaderboard(), Long.toString(lost));
    assertThat(rebuilder.rebuildIfStale()).isTrue();
    assertThat(rebuilder.rebuildIfStale()).isFalse();
    stores.assertConsistent();
  }

  @Test
  void pipelinedScoreWritesStillReportRedisErrors() {
    var elsewhere = new Keys(stores.keys.prefix() + "pipeline-errors:");
    stores.redis.set(elsewhere.leaderboard(), "not a sorted set");
    try (var broken = new LeaderboardStore(stores.jdbi, stores.redis, elsewhere)) {
      var standings =
          List.of(new Standing(1, 10, Instant.now()), new Standing(2, 20, Instant.now()));
      assertThatThrownBy(() -> broken.raise(standings))
          .isInstanceOf(JedisDataException.class)
          .hasMessageContaining("WRONGTYPE");
    } finally {
      stores.redis.del(elsewhere.leaderboard());
    }
  }
}
