package io.skillquest.store.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.Env;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStores.class)
class PeriodBoardsTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final PeriodSettings SETTINGS =
      new PeriodSettings(NEW_YORK, Map.of(Period.DAY, 3), Duration.ofHours(1));

  private StoreFixture stores;
  private PeriodBoards boards;
  private long challenge;

  @BeforeEach
  void open(StoreFixture fresh) {
    stores = fresh;
    boards = new PeriodBoards(stores.jdbi, stores.redis, stores.keys, SETTINGS);
    challenge = stores.challenge(1000, 60);
  }

  @AfterEach
  void close() {
    boards.close();
  }

  private void processed(long user, int xp, Instant at) {
    stores.jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded, started_at,"
                    + " submitted_at, processed_at) VALUES (?, ?, 'passed', 90, ?, ?, ?, ?)",
                user,
                challenge,
                xp,
                java.sql.Timestamp.from(at),
                java.sql.Timestamp.from(at),
                java.sql.Timestamp.from(at)));
  }

  private static Instant newYork(String local) {
    return LocalDateTime.parse(local).atZone(NEW_YORK).toInstant();
  }

  private List<Long> finalOrder(PeriodWindow w) {
    return stores.jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT user_id FROM period_standings WHERE period = :p AND window_id = :id"
                        + " ORDER BY position")
                .bind("p", w.period().wireName())
                .bind("id", w.id())
                .mapTo(Long.class)
                .list());
  }

  @Test
  void anAwardAtOneSecondBeforeLocalMidnightAndOneAtMidnightFallInDifferentDays() {
    long late = stores.user();
    long early = stores.user();
    // yesterday and today in New York (recent, so the live sets are within retention)
    LocalDate day = LocalDate.now(NEW_YORK).minusDays(1);
    processed(late, 100, day.atTime(23, 59, 59).atZone(NEW_YORK).toInstant());
    // local midnight is 04:00 or 05:00 UTC: the same UTC day as the award before it
    processed(early, 100, day.plusDays(1).atStartOfDay(NEW_YORK).toInstant());
    var nov10 = PeriodWindow.containing(Period.DAY, day, NEW_YORK);
    var nov11 = nov10.next();
    var finals = new PeriodFinals(stores.jdbi, SETTINGS);
    assertThat(finals.finalise(nov10)).isTrue();
    assertThat(finals.finalise(nov11)).isTrue();
    assertThat(finalOrder(nov10)).containsExactly(late);
    assertThat(finalOrder(nov11)).containsExactly(early);

    assertThat(boards.ensurePresent(nov10)).isTrue();
    assertThat(boards.range(nov10, 0, 10).orElseThrow().entries())
        .extracting(LeaderboardStore.Entry::userId)
        .containsExactly(late);
    assertThat(boards.ensurePresent(nov11)).isTrue();
    assertThat(boards.range(nov11, 0, 10).orElseThrow().entries())
        .extracting(LeaderboardStore.Entry::userId)
        .containsExactly(early);
  }

  @Test
  void aWindowNobodyEarnedInReadsAsEmptyOnceARebuildFoundNobodyUntilTheMarkLapses()
      throws InterruptedException {
    LocalDate day = LocalDate.now(NEW_YORK).minusDays(2); // retained, and no other test's
    var w = PeriodWindow.containing(Period.DAY, day, NEW_YORK);
    long user = stores.user();
    assertThat(boards.place(w, user)).as("no set and nothing known: callers read SQL").isEmpty();
    awaitPlace(w, user, Optional.of(Optional.empty()));
    assertThat(boards.range(w, 0, 9).orElseThrow().entries()).isEmpty();
    assertThat(boards.placeAndTotal(w, user)).hasValue(Optional.empty());
    assertThat(stores.redis.exists(stores.keys.periodBoard(w.id()))).isFalse();
    assertThat(stores.redis.pttl(stores.keys.periodBoard(w.id()) + ":empty"))
        .isBetween(1L, PeriodBoards.KNOWN_EMPTY.toMillis());

    Instant noon = day.atTime(12, 0).atZone(NEW_YORK).toInstant();
    processed(user, 30, noon);
    boards.raise(w, List.of(new Standing(user, 30, noon)));
    assertThat(boards.place(w, user).orElseThrow().orElseThrow().entry().totalXp())
        .as("the first award's set answers, mark or not")
        .isEqualTo(30);

    // a set lost while its window has awards: empty for at most the mark's life, then rebuilt
    stores.redis.del(stores.keys.periodBoard(w.id()), stores.keys.periodBoardMembers(w.id()));
    awaitPlace(
        w,
        user,
        Optional.of(
            Optional.of(new LeaderboardStore.Place(new LeaderboardStore.Entry(0, user, 30), 0))));
  }

  private void awaitPlace(
      PeriodWindow w, long user, Optional<Optional<LeaderboardStore.Place>> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!boards.place(w, user).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(boards.place(w, user)).isEqualTo(expected);
  }

  @Test
  void equalSumsGoToWhoReachedThemFirstAndRaisesNeverCountTwice() {
    long a = stores.user();
    long b = stores.user();
    var w = PeriodWindow.containing(Period.WEEK, LocalDate.parse("2026-11-18"), NEW_YORK);
    Instant t = newYork("2026-11-18T10:00:00");
    // b reached 300 five milliseconds before a did
    boards.raise(w, List.of(new Standing(a, 300, t.plusMillis(5)), new Standing(b, 300, t)));
    boards.raise(w, List.of(new Standing(a, 200, t.minusSeconds(60)))); // a replayed older write
    boards.raise(w, List.of(new Standing(b, 300, t))); // the same write again
    var page = boards.range(w, 0, 10).orElseThrow();
    assertThat(page.entries()).extracting(LeaderboardStore.Entry::userId).containsExactly(b, a);
    assertThat(page.entries())
        .extracting(LeaderboardStore.Entry::totalXp)
        .containsExactly(300L, 300L);
    var place = boards.place(w, a).orElseThrow().orElseThrow();
    assertThat(place.entry().position()).isEqualTo(1);
    assertThat(place.usersAbove()).as("competition: equal sums share a rank").isZero();
    assertThat(boards.place(w, stores.user()).orElseThrow()).as("earned nothing").isEmpty();
    assertThat(stores.redis.hget(stores.keys.periodBoardMembers(w.id()), Long.toString(b)))
        .isEqualTo(RankCodec.member(b, t));
  }

  @Test
  void twoWorkersFinalisingTheSameWindowWriteOneResult() throws Exception {
    for (int i = 0; i < 20; i++) {
      processed(stores.user(), 10 + i, newYork("2026-11-12T12:00:00").plusSeconds(i));
    }
    var w = PeriodWindow.containing(Period.DAY, LocalDate.parse("2026-11-12"), NEW_YORK);
    var barrier = new CyclicBarrier(2);
    var pool = Executors.newFixedThreadPool(2);
    try {
      var tasks = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 2; i++) {
        var finals = new PeriodFinals(stores.jdbi, SETTINGS);
        tasks.add(
            () -> {
              barrier.await();
              return finals.finalise(w);
            });
      }
      var results = new ArrayList<Boolean>();
      for (var f : pool.invokeAll(tasks)) {
        results.add(f.get());
      }
      assertThat(results).containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdownNow();
    }
    assertThat(finalOrder(w)).hasSize(20).doesNotHaveDuplicates();
    assertThat(stores.count("SELECT count(*) FROM period_finals WHERE window_id = ?", w.id()))
        .isEqualTo(1);
  }

  @Test
  void aWindowIsFinalOnlyAfterTheGraceSoLateAwardsCount() {
    long user = stores.user();
    var w = PeriodWindow.containing(Period.DAY, LocalDate.parse("2026-11-13"), NEW_YORK);
    processed(user, 50, w.end().minusSeconds(5));
    var finals = new PeriodFinals(stores.jdbi, SETTINGS);
    assertThat(finals.finaliseDue(w.end().plus(Duration.ofMinutes(30))))
        .as("still in its grace")
        .doesNotContain(w);
    // an award whose transaction began before midnight but committed after it
    processed(user, 25, w.end().minusMillis(1));
    assertThat(finals.finaliseDue(w.end().plus(Duration.ofHours(1)))).contains(w);
    assertThat(
            stores.count(
                "SELECT xp FROM period_standings WHERE window_id = ? AND user_id = ?",
                w.id(),
                user))
        .isEqualTo(75);
    assertThat(finals.finaliseDue(w.end().plus(Duration.ofHours(2)))).doesNotContain(w);
  }

  @Test
  void windowsPastRetentionAreDroppedAndLiveSetsExpireAtRetentionEnd() {
    long user = stores.user();
    var old = PeriodWindow.containing(Period.DAY, LocalDate.parse("2026-11-01"), NEW_YORK);
    processed(user, 10, old.start().plusSeconds(60));
    var finals = new PeriodFinals(stores.jdbi, SETTINGS);
    assertThat(finals.finaliseDue(old.end().plus(Duration.ofHours(2)))).contains(old);
    assertThat(finalOrder(old)).containsExactly(user);
    // three finished days are kept: on the 5th the 1st is the fourth one back
    finals.finaliseDue(old.plus(4).start().plus(Duration.ofHours(2)));
    assertThat(finalOrder(old)).isEmpty();
    assertThat(stores.count("SELECT count(*) FROM period_finals WHERE window_id = ?", old.id()))
        .isZero();

    var live = boards.window(Period.DAY, Instant.now());
    boards.raise(live, List.of(new Standing(user, 10, Instant.now())));
    long expected = live.retainedUntil(3).toEpochMilli() - System.currentTimeMillis();
    // PEXPIRETIME needs Redis 7; the remaining time is the same check, up to the test's own time
    assertThat(stores.redis.pttl(stores.keys.periodBoard(live.id())))
        .isBetween(expected - 60_000, expected + 1_000);
    assertThat(stores.redis.pttl(stores.keys.periodBoardMembers(live.id())))
        .isBetween(expected - 60_000, expected + 1_000);
  }

  @Test
  void severalWindowsRaisedInOneCallEachGetTheirStandingsAndExpiry() {
    long a = stores.user();
    long b = stores.user();
    Instant t = Instant.now();
    var day = boards.window(Period.DAY, t);
    var week = boards.window(Period.WEEK, t);
    var month = boards.window(Period.MONTH, t);
    var standings = new java.util.LinkedHashMap<PeriodWindow, List<Standing>>();
    standings.put(day, List.of(new Standing(a, 50, t)));
    standings.put(week, List.of(new Standing(a, 80, t), new Standing(b, 90, t.minusMillis(1))));
    standings.put(month, List.of());
    boards.raise(standings);
    boards.raise(Map.of(day, List.of(new Standing(a, 40, t.minusSeconds(5))))); // older: ignored

    assertThat(boards.range(day, 0, 9).orElseThrow().entries())
        .extracting(LeaderboardStore.Entry::userId, LeaderboardStore.Entry::totalXp)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(a, 50L));
    assertThat(boards.range(week, 0, 9).orElseThrow().entries())
        .extracting(LeaderboardStore.Entry::userId)
        .containsExactly(b, a);
    assertThat(stores.redis.exists(stores.keys.periodBoard(month.id())))
        .as("no standings, no set")
        .isFalse();
    for (var w : List.of(day, week)) {
      long expected =
          w.retainedUntil(SETTINGS.retention(w.period())).toEpochMilli()
              - System.currentTimeMillis();
      assertThat(stores.redis.pttl(stores.keys.periodBoard(w.id())))
          .isBetween(expected - 60_000, expected + 1_000);
      assertThat(stores.redis.pttl(stores.keys.periodBoardMembers(w.id())))
          .isBetween(expected - 60_000, expected + 1_000);
    }
  }

  @Test
  void sumsOfSeveralWindowsAreReadInOneStatementEachWithItsOwnAttempts() {
    long a = stores.user();
    long b = stores.user();
    long idle = stores.user();
    Instant monday = newYork("2026-11-16T09:00:00");
    Instant wednesdayLast = newYork("2026-11-18T23:59:59"); // the day's last second
    Instant thursdayFirst = newYork("2026-11-19T00:00:00"); // the next day's first
    processed(a, 30, monday);
    processed(a, 20, wednesdayLast);
    processed(b, 70, thursdayFirst);
    var windows =
        List.of(
            PeriodWindow.containing(Period.DAY, LocalDate.parse("2026-11-18"), NEW_YORK),
            PeriodWindow.containing(Period.WEEK, LocalDate.parse("2026-11-18"), NEW_YORK),
            PeriodWindow.containing(Period.MONTH, LocalDate.parse("2026-11-18"), NEW_YORK),
            PeriodWindow.containing(Period.DAY, LocalDate.parse("2026-11-01"), NEW_YORK));
    var sums = stores.jdbi.withHandle(h -> PeriodAttempts.of(h, windows, List.of(a, b, idle)));
    assertThat(sums.keySet()).containsExactlyElementsOf(windows);
    assertThat(sums.get(windows.get(0))).containsExactly(new Standing(a, 20, wednesdayLast));
    var weekAndMonth =
        List.of(new Standing(a, 50, wednesdayLast), new Standing(b, 70, thursdayFirst));
    assertThat(sums.get(windows.get(1))).containsExactlyInAnyOrderElementsOf(weekAndMonth);
    assertThat(sums.get(windows.get(2))).containsExactlyInAnyOrderElementsOf(weekAndMonth);
    assertThat(sums.get(windows.get(3))).as("nobody earned that day").isEmpty();
  }

  @Test
  void aPlaceOnAWindowComesWithTheAllTimeTotalInOneRead() {
    long a = stores.user();
    long b = stores.user();
    Instant t = Instant.now();
    var week = boards.window(Period.WEEK, t);
    boards.raise(week, List.of(new Standing(a, 80, t), new Standing(b, 90, t)));
    new LeaderboardStore(stores.jdbi, stores.redis, stores.keys).raise(new Standing(a, 1234, t));

    var placed = boards.placeAndTotal(week, a).orElseThrow().orElseThrow();
    assertThat(placed.place().entry().position()).isEqualTo(1);
    assertThat(placed.place().entry().totalXp()).isEqualTo(80);
    assertThat(placed.place().usersAbove()).isEqualTo(1);
    assertThat(placed.allTimeXp()).isEqualTo(1234L);
    stores.redis.hdel(stores.keys.leaderboardMembers(), Long.toString(b));
    assertThat(boards.placeAndTotal(week, b).orElseThrow().orElseThrow().allTimeXp())
        .as("not on the all-time board")
        .isNull();
    assertThat(boards.placeAndTotal(week, stores.user()).orElseThrow())
        .as("earned nothing")
        .isEmpty();
  }

  @Test
  void settingsComeFromTheEnvironment() {
    var env =
        new Env(
            Map.of(
                "SKILLQUEST_LEADERBOARD_ZONE", "Europe/Paris",
                "SKILLQUEST_LEADERBOARD_RETENTION", "week=10, day=7",
                "SKILLQUEST_LEADERBOARD_GRACE", "90m"));
    var s = PeriodSettings.read(env);
    env.validate();
    assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(s.retention(Period.DAY)).isEqualTo(7);
    assertThat(s.retention(Period.WEEK)).isEqualTo(10);
    assertThat(s.retention(Period.MONTH)).isEqualTo(24);
    assertThat(s.grace()).isEqualTo(Duration.ofMinutes(90));
    assertThat(PeriodSettings.DEFAULT.retention(Period.DAY)).isEqualTo(60);
    assertThat(PeriodSettings.DEFAULT.retention(Period.WEEK)).isEqualTo(52);

    var bad =
        new Env(
            Map.of(
                "SKILLQUEST_LEADERBOARD_ZONE", "Mars/Olympus",
                "SKILLQUEST_LEADERBOARD_RETENTION", "year=3",
                "SKILLQUEST_LEADERBOARD_GRACE", "soon"));
    PeriodSettings.read(bad);
    org.assertj.core.api.Assertions.assertThatThrownBy(bad::validate)
        .hasMessageContaining("SKILLQUEST_LEADERBOARD_ZONE")
        .hasMessageContaining("SKILLQUEST_LEADERBOARD_RETENTION")
        .hasMessageContaining("SKILLQUEST_LEADERBOARD_GRACE");
  }
}
