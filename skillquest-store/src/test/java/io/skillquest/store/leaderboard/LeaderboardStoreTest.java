package io.skillquest.store.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
    String goneMember = stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(gone));
    // a newer, higher place than the database shows, as an award racing the rebuild would leave
    Instant at = Instant.now();
    rebuilder.raise(new Standing(user, 500, at));
    stores.jdbi.useHandle(h -> h.execute("DELETE FROM users WHERE id = ?", gone));
    stores.redis.zadd(stores.keys.leaderboard(), 1, "not-a-user");
    rebuilder.rebuild();
    String member = RankCodec.member(user, at);
    assertThat(stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(user)))
        .isEqualTo(member);
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), member)).isEqualTo(500.0);
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), goneMember)).isNull();
    assertThat(stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(gone))).isNull();
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), "not-a-user")).isNull();
    assertThat(stores.redis.zcard(stores.keys.leaderboard())).isEqualTo(1);
    assertThat(stores.redis.exists(stores.keys.leaderboardLock())).isFalse();
  }

  @Test
  void aSortedSetMissingMembersIsFoundStaleAndRebuilt() {
    for (int i = 0; i < 5; i++) {
      stores.user();
    }
    long lost = stores.user();
    stores.redis.zrem(
        stores.keys.leaderboard(),
        stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(lost)));
    assertThat(rebuilder.rebuildIfStale()).isTrue();
    assertThat(rebuilder.rebuildIfStale()).isFalse();
    stores.assertConsistent();
  }

  @Test
  void onceTheSizesAgreeNewcomersNeedNoRebuildAndALostMemberIsStillFoundAtOnce() {
    for (int i = 0; i < 5; i++) {
      stores.user();
    }
    assertThat(rebuilder.rebuildIfStale()).isFalse();
    for (int i = 0; i < 3; i++) {
      stores.user();
    }
    assertThat(rebuilder.rebuildIfStale()).as("newcomers, counted from the newest id on").isFalse();
    long lost = stores.user();
    stores.redis.zrem(
        stores.keys.leaderboard(),
        stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(lost)));
    assertThat(rebuilder.rebuildIfStale()).isTrue();
    stores.assertConsistent();
  }

  @Test
  void aDeletedUserLeftOnTheBoardIsFoundByTheNextFullCount() {
    for (int i = 0; i < 5; i++) {
      stores.user();
    }
    long gone = stores.user();
    String goneMember = stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(gone));
    assertThat(rebuilder.rebuildIfStale()).isFalse();
    // its removal from the board was lost: the board's size stays what it was
    stores.jdbi.useHandle(h -> h.execute("DELETE FROM users WHERE id = ?", gone));
    int checks = 1;
    while (!rebuilder.rebuildIfStale()) {
      checks++;
      assertThat(checks).as("checks until found").isLessThanOrEqualTo(6);
    }
    assertThat(checks)
        .as("five checks count only newcomers, the sixth counts everyone")
        .isEqualTo(6);
    assertThat(stores.redis.zscore(stores.keys.leaderboard(), goneMember)).isNull();
    stores.assertConsistent();
  }

  @Test
  void totalsAreReadForUsersOnTheBoardAndLeaveOutTheRest() {
    long a = stores.user();
    long b = stores.user();
    rebuilder.raise(new Standing(a, 1234, Instant.now()));
    assertThat(rebuilder.totals(List.of(a, 999_999L, b)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(a, 1234L, b, 0L));
    assertThat(rebuilder.totals(List.of())).isEmpty();
    stores.redis.del(stores.keys.leaderboard());
    assertThat(rebuilder.totals(List.of(a, b))).as("the set is missing").isEmpty();
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

  @Test
  void equalXpFiveMillisecondsApartIsOrderedByWhoReachedItFirstAlsoAfterARebuild() {
    long late = stores.user(); // the lower id reaches the XP later, so id order would be wrong
    long early = stores.user();
    Instant first = Instant.parse("2026-11-30T10:00:00.120Z");
    Instant second = first.plusMillis(5);
    setStanding(late, 700, second);
    setStanding(early, 700, first);
    rebuilder.raise(new Standing(late, 700, second));
    rebuilder.raise(new Standing(early, 700, first));
    assertThat(topTwo()).containsExactly(early, late);

    rebuilder.rebuild(); // in place
    assertThat(topTwo()).containsExactly(early, late);

    stores.redis.del(stores.keys.leaderboard());
    assertThat(rebuilder.ensurePresent()).isTrue(); // aside and swapped in
    assertThat(topTwo()).containsExactly(early, late);
    stores.assertLeaderboardAgrees();
  }

  @Test
  void aRaiseOnlyEverMovesAUserUpAndReplacesTheirOneMember() {
    long user = stores.user();
    Instant t = Instant.parse("2026-11-30T10:00:00Z");
    rebuilder.raise(new Standing(user, 100, t.plusSeconds(10)));
    rebuilder.raise(new Standing(user, 90, t.plusSeconds(20))); // lower XP: ignored
    rebuilder.raise(new Standing(user, 100, t.plusSeconds(30))); // same XP, later: ignored
    assertThat(rebuilder.entry(user).orElseThrow().totalXp()).isEqualTo(100);
    assertThat(stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(user)))
        .isEqualTo(RankCodec.member(user, t.plusSeconds(10)));
    rebuilder.raise(new Standing(user, 100, t)); // same XP, earlier (a replayed older write)
    assertThat(stores.redis.hget(stores.keys.leaderboardMembers(), Long.toString(user)))
        .isEqualTo(RankCodec.member(user, t));
    rebuilder.raise(new Standing(user, 150, t.plusSeconds(40)));
    assertThat(stores.redis.zcard(stores.keys.leaderboard())).isEqualTo(1);
    var place = rebuilder.place(user).orElseThrow();
    assertThat(place.entry()).isEqualTo(new LeaderboardStore.Entry(0, user, 150));
    assertThat(place.usersAbove()).isZero();
  }

  @Test
  void concurrentRaisesAndRebuildsNeverLoseOrLowerAPlace() throws Exception {
    int users = 40;
    long[] ids = new long[users];
    for (int i = 0; i < users; i++) {
      ids[i] = stores.user();
    }
    var stop = new AtomicBoolean();
    var failures = new ConcurrentLinkedQueue<Throwable>();
    var threads = new ArrayList<Thread>();
    for (int w = 0; w < 2; w++) {
      int from = w;
      threads.add(
          new Thread(
              () -> {
                try {
                  for (long xp = 10; !stop.get(); xp += 10) {
                    for (int i = from; i < users; i += 2) {
                      // as an award does: commit in PostgreSQL, then raise the board. PostgreSQL
                      // rounds to microseconds, which can carry into the next millisecond the
                      // board keeps; an award raises with the time PostgreSQL returned.
                      Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                      setStanding(ids[i], xp, at);
                      rebuilder.raise(new Standing(ids[i], xp, at));
                    }
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              }));
    }
    threads.add(
        new Thread(
            () -> {
              long seen = 0;
              try {
                while (!stop.get()) {
                  var e = rebuilder.entry(ids[0]);
                  if (e.isPresent()) {
                    assertThat(e.get().totalXp()).as("never lowered").isGreaterThanOrEqualTo(seen);
                    seen = e.get().totalXp();
                  }
                }
              } catch (Throwable e) {
                failures.add(e);
              }
            }));
    threads.forEach(Thread::start);
    try {
      for (int round = 0; round < 6; round++) {
        if (round % 2 == 0) {
          stores.redis.del(stores.keys.leaderboard());
        }
        rebuilder.rebuild();
      }
    } finally {
      stop.set(true);
      for (var t : threads) {
        t.join();
      }
    }
    assertThat(failures).isEmpty();
    rebuilder.rebuildIfStale(); // a write may have recreated a deleted board before the rebuild
    stores.assertLeaderboardAgrees();
  }

  private void setStanding(long user, long xp, Instant at) {
    stores.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE users SET total_xp = ?, level = floor(sqrt(? / 100)) + 1, xp_reached_at = ?"
                    + " WHERE id = ?",
                xp,
                xp,
                java.sql.Timestamp.from(at),
                user));
  }

  private List<Long> topTwo() {
    return rebuilder.range(0, 1).orElseThrow().stream()
        .map(LeaderboardStore.Entry::userId)
        .toList();
  }
}
