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
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the award path reports about itself (a timer per phase), and the switch that takes the live
 * period boards out of it for measuring what they cost.
 */
@ExtendWith(RealStores.class)
class AwardPhasesTest {

  private final StoreFixture stores;
  private final PeriodBoards boards;

  AwardPhasesTest(StoreFixture stores) {
    this.stores = stores;
    this.boards = new PeriodBoards(stores.jdbi, stores.redis, stores.keys, PeriodSettings.DEFAULT);
  }

  @AfterEach
  void close() {
    boards.close();
  }

  @Test
  void eachPhaseOfTheAwardPathIsTimedOncePerTransaction() {
    var registry = new SimpleMeterRegistry();
    var timed =
        new AwardProcessor(
            stores.jdbi,
            new LeaderboardStore(stores.jdbi, stores.redis, stores.keys),
            new BadgeCatalogue(new BadgeConditions()),
            new WorkerMetrics(registry),
            FreezeRule.DEFAULT,
            boards);
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    timed.processAll(
        java.util.List.of(
            stores.submitted(user, challenge, 70), stores.submitted(user, challenge, 90)));
    for (var phase :
        java.util.List.of("checkout", "lock", "decide", "settle", "leaderboard", "period_boards")) {
      var timer = registry.find("skillquest.worker.award.phase").tag("phase", phase).timer();
      assertThat(timer).as(phase).isNotNull();
      assertThat(timer.count()).as(phase + ": one batch, one transaction").isEqualTo(1);
    }
  }

  @Test
  void aWorkerWithPeriodBoardsOffAwardsWithoutRaisingThem() throws Exception {
    var off = Workers.FAST.withPeriodBoards(false);
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    long attempt = stores.submitted(user, challenge, 90);
    try (var worker = new Worker(stores.jdbi, stores.config, new SimpleMeterRegistry(), off)) {
      worker.handle(new io.skillquest.core.queue.AwardTask(attempt, Instant.now()).toJson());
    }
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts WHERE id = ? AND status = 'passed'", attempt))
        .isEqualTo(1);
    for (var period : new Period[] {Period.DAY, Period.WEEK, Period.MONTH}) {
      var w =
          io.skillquest.core.leaderboard.PeriodWindow.containing(
              period, Instant.now(), PeriodSettings.DEFAULT.zone());
      assertThat(stores.redis.hget(stores.keys.periodBoardMembers(w.id()), Long.toString(user)))
          .as(w.id())
          .isNull();
    }
  }
}
