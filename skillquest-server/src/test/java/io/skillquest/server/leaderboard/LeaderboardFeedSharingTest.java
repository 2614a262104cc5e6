package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.SseReader;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cost of live boards follows the board shapes watched, not the number of watchers. */
class LeaderboardFeedSharingTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .withoutWorker()
          // closed clients are noticed at the next write: keep that quick
          .env("SKILLQUEST_STREAM_KEEPALIVE_MS", "200")
          .extension();

  private double reads() {
    return server.services().metrics().get("skillquest_sse_board_reads").counter().count();
  }

  private double pollers() {
    return server.services().metrics().get("skillquest_sse_board_pollers").gauge().value();
  }

  @Test
  void oneShapeIsReadOnceASecondHoweverManyWatchIt() throws Exception {
    var clients = new ArrayList<SseReader>();
    try {
      for (int i = 0; i < 12; i++) {
        var c = SseReader.open(server.baseUrl() + "/api/v1/leaderboard/stream?limit=7", Map.of());
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.next(Duration.ofSeconds(10))).as("rows on connect").isNotNull();
        clients.add(c);
      }
      assertThat(pollers()).isEqualTo(1.0);
      double before = reads();
      Thread.sleep(3000);
      // about three reads in three seconds, whether 1 or 12 clients watch
      assertThat(reads() - before).isBetween(1.0, 5.0);

      try (var other =
          SseReader.open(
              server.baseUrl() + "/api/v1/leaderboard/stream?limit=7&period=day", Map.of())) {
        assertThat(other.next(Duration.ofSeconds(10))).isNotNull();
        assertThat(pollers()).as("a second shape, a second poller").isEqualTo(2.0);
      }
    } finally {
      clients.forEach(SseReader::close);
    }
    TestServer.await(
        "pollers stop with their last watcher", Duration.ofSeconds(10), () -> pollers() == 0.0);
    double idle = reads();
    Thread.sleep(1500);
    assertThat(reads()).as("nobody watches: nothing is read").isEqualTo(idle);
  }
}
