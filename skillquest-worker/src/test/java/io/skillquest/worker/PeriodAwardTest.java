package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.PeriodBoards;
import io.skillquest.store.leaderboard.PeriodSettings;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
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
}
