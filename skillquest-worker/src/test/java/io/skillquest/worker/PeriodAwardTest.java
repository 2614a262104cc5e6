package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.Database;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.PeriodBoards;
import io.skillquest.store.leaderboard.PeriodSettings;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The award's after-commit step raises the day, week and month boards by what it added. */
@ExtendWith(RealStores.class)
class PeriodAwardTest {

  private final StoreFixture stores;
  private final PeriodBoards boards;
  private final AwardProcessor processor;

  PeriodAwardTest(StoreFixture stores) {
    this.stores = stores;
    this.boards =
        new PeriodBoards(
            stores.jdbi,
            stores.redis,
            stores.keys,
            new PeriodSettings(ZoneId.of("Asia/Tokyo"), Map.of(), Duration.ofHours(1)));
    this.processor =
        new AwardProcessor(
            stores.jdbi,
            new LeaderboardStore(stores.jdbi, stores.redis, stores.keys),
            new BadgeCatalogue(new BadgeConditions()),
            new WorkerMetrics(new SimpleMeterRegistry()),
            FreezeRule.DEFAULT,
            boards);
  }

  @AfterEach
  void close() {
    boards.close();
  }

  @Test
  void everyPeriodBoardHoldsTheXpEarnedInItsWindow() {
    long user = stores.user();
    long other = stores.user();
    long challenge = stores.challenge(100, 60);
    processor.process(stores.submitted(user, challenge, 60));
    processor.process(stores.submitted(user, challenge, 90)); // adds 30
    processor.process(stores.submitted(other, challenge, 90));
    processor.process(stores.submitted(user, challenge, 80)); // adds nothing
    for (var period : new Period[] {Period.DAY, Period.WEEK, Period.MONTH}) {
      var w = boards.window(period, Instant.now());
      var page = boards.range(w, 0, 10).orElseThrow();
      assertThat(page.entries())
          .as(w.id())
          .extracting(LeaderboardStore.Entry::userId)
          .containsExactly(user, other); // 90 each: user reached it first (the 80 added nothing)
      assertThat(page.entries())
          .extracting(LeaderboardStore.Entry::totalXp)
          .containsExactly(90L, 90L);
    }

    // a lost set is rebuilt from attempts with the same standings
    var day = boards.window(Period.DAY, Instant.now());
    stores.redis.del(stores.keys.periodBoard(day.id()));
    assertThat(boards.ensurePresent(day)).isTrue();
    assertThat(boards.range(day, 0, 10).orElseThrow().entries())
        .extracting(LeaderboardStore.Entry::userId)
        .containsExactly(user, other);
  }

  @Test
  void aFailedReadOfThePeriodSumsAfterTheCommitLosesNothing() {
    // the award's connection opens; the one for the period sums, after the commit, does not
    var opens = new AtomicInteger();
    var flaky =
        (DataSource)
            Proxy.newProxyInstance(
                DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection") && opens.incrementAndGet() == 2) {
                    throw new SQLException("injected: the database went away after the commit");
                  }
                  try {
                    return method.invoke(stores.dataSource, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    var leaderboard = new LeaderboardStore(stores.jdbi, stores.redis, stores.keys);
    var processor =
        new AwardProcessor(
            Database.jdbi(flaky),
            leaderboard,
            new BadgeCatalogue(new BadgeConditions()),
            new WorkerMetrics(new SimpleMeterRegistry()),
            FreezeRule.DEFAULT,
            boards);
    long user = stores.user();
    long challenge = stores.challenge(100, 60);

    var first = processor.process(stores.submitted(user, challenge, 70));

    assertThat(first.result()).isEqualTo(AwardOutcome.Result.PROCESSED);
    assertThat(opens).hasValue(2);
    assertThat(stores.totalXp(user)).isEqualTo(70);
    assertThat(leaderboard.entry(user)).map(LeaderboardStore.Entry::totalXp).hasValue(70L);
    var day = boards.window(Period.DAY, Instant.now());
    assertThat(boards.range(day, 0, 1000).orElseThrow().entries())
        .extracting(LeaderboardStore.Entry::userId)
        .doesNotContain(user);

    // the next award reads the sums whole, so the board catches up with both
    processor.process(stores.submitted(user, stores.challenge(50, 60), 100));
    assertThat(boards.range(day, 0, 1000).orElseThrow().entries())
        .filteredOn(e -> e.userId() == user)
        .extracting(LeaderboardStore.Entry::totalXp)
        .containsExactly(120L);
    stores.assertConsistent();
  }
}
