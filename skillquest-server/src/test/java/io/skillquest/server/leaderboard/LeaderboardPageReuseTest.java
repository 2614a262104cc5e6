package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.core.leaderboard.Standing;
import io.skillquest.server.testing.TestServer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page read from Redis answers the same page for at most {@link Leaderboard#PAGE_REUSE_NANOS}, on
 * a hand-moved clock.
 */
class LeaderboardPageReuseTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  private Leaderboard board(AtomicLong clock) {
    return new Leaderboard(
        server.services().leaderboard(),
        new LeaderboardDao(server.jdbi()),
        clock::get,
        Leaderboard.SQL_FALLBACKS);
  }

  private void overtake(long userId, long totalXp) {
    server.services().leaderboard().raise(new Standing(userId, totalXp, Instant.now()));
  }

  @Test
  void aPageIsReusedForLessThanOneMillisecondThenReadAgain() {
    var climber = server.registerAndLogin("climber");
    var clock = new AtomicLong(1_000_000_000L);
    var board = board(clock);
    var first = board.page(10, 0);
    assertThat(first).extracting(LeaderboardEntry::userId).contains(climber.userId());

    overtake(climber.userId(), 7_000);
    clock.addAndGet(Leaderboard.PAGE_REUSE_NANOS - 1);
    assertThat(board.page(10, 0)).isEqualTo(first);

    clock.addAndGet(1);
    var fresh = board.page(10, 0);
    assertThat(fresh.get(0).userId()).isEqualTo(climber.userId());
    assertThat(fresh.get(0).totalXp()).isEqualTo(7_000);
  }

  @Test
  void anotherPageIsNeverAnsweredFromTheLastRead() {
    var runner = server.registerAndLogin("runner");
    var clock = new AtomicLong(5_000_000_000L);
    var board = board(clock);
    board.page(10, 0);
    overtake(runner.userId(), 9_000);
    assertThat(board.page(5, 0).get(0).userId()).isEqualTo(runner.userId());
    assertThat(board.page(10, 1))
        .extracting(LeaderboardEntry::userId)
        .doesNotContain(runner.userId());
  }

  @Test
  void sqlReadsBeyondTheCapAreRefusedAsBusy() {
    server.registerAndLogin("capped");
    var noRoom =
        new Leaderboard(
            server.services().leaderboard(),
            new LeaderboardDao(server.jdbi()),
            System::nanoTime,
            0);
    server.redis().del(server.keys().leaderboard());
    assertThatThrownBy(() -> noRoom.page(10, 0)).isInstanceOf(Leaderboard.Busy.class);
    TestServer.await(
        "the board rebuilt in the background",
        java.time.Duration.ofSeconds(10),
        () -> server.redis().exists(server.keys().leaderboard()));
    assertThat(noRoom.page(10, 0)).as("from Redis again, no SQL needed").isNotEmpty();
  }
}
