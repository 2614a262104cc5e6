package io.skillquest.server.leaderboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.server.stream.SseStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live top-N boards for {@code /leaderboard/stream}. One poller per distinct (period, limit,
 * ranking) reads the board at most once per {@link #INTERVAL} while that board has subscribers and
 * sends the same serialized rows to all of them, only when they differ from the last rows sent: the
 * cost is one read a second per board shape, however many clients watch it. A new subscriber gets
 * the last rows at once (at most one interval old), or the first read when there is none yet.
 */
public final class LeaderboardFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderboardFeed.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final String EVENT = "leaderboard";

  /** What a board stream shows. */
  public record Shape(Period period, int limit, Ranking ranking) {}

  private final class Board {
    final Shape shape;
    final Set<SseStream> subscribers = new LinkedHashSet<>();
    String last;
    ScheduledFuture<?> poller;

    Board(Shape shape) {
      this.shape = shape;
    }

    void poll() {
      String rows;
      try {
        reads.increment();
        rows = json.writeValueAsString(read(shape));
      } catch (JsonProcessingException | RuntimeException e) {
        log.warn("live leaderboard read failed, retrying in {}: {}", INTERVAL, e.toString());
        return;
      }
      synchronized (this) {
        if (rows.equals(last)) {
          return;
        }
        last = rows;
        for (var s : subscribers) {
          s.event(EVENT, rows, null);
        }
      }
    }
  }

  private final Leaderboard leaderboard;
  private final PeriodLeaderboard periods;
  private final ObjectMapper json;
  private final Map<Shape, Board> boards = new HashMap<>();
  private final ScheduledExecutorService scheduler;
  private final Counter reads;

  public LeaderboardFeed(
      Leaderboard leaderboard,
      PeriodLeaderboard periods,
      ObjectMapper json,
      MeterRegistry registry) {
    this.leaderboard = leaderboard;
    this.periods = periods;
    this.json = json;
    this.reads =
        Counter.builder("skillquest_sse_board_reads")
            .description("Leaderboard reads by the live board streams' pollers")
            .register(registry);
    Gauge.builder("skillquest_sse_board_pollers", this, LeaderboardFeed::pollers)
        .description("Board shapes polled for live streams now")
        .register(registry);
    this.scheduler =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              var t = new Thread(r, "leaderboard-feed");
              t.setDaemon(true);
              return t;
            });
  }

  private List<LeaderboardEntry> read(Shape s) {
    if (s.period().windowed()) {
      return periods.page(periods.window(s.period(), null), s.limit(), 0, s.ranking());
    }
    return leaderboard.page(s.limit(), 0, s.ranking());
  }

  /** Sends {@code stream} the board now and whenever it changes, until {@link #unsubscribe}. */
  public void subscribe(Shape shape, SseStream stream) {
    synchronized (boards) {
      var board = boards.computeIfAbsent(shape, Board::new);
      if (board.poller == null) {
        board.poller =
            scheduler.scheduleWithFixedDelay(
                board::poll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      }
      synchronized (board) {
        board.subscribers.add(stream);
        if (board.last != null) {
          stream.event(EVENT, board.last, null);
        }
      }
    }
  }

  public void unsubscribe(Shape shape, SseStream stream) {
    synchronized (boards) {
      var board = boards.get(shape);
      if (board == null) {
        return;
      }
      boolean empty;
      synchronized (board) {
        board.subscribers.remove(stream);
        empty = board.subscribers.isEmpty();
      }
      if (empty) {
        board.poller.cancel(false);
        boards.remove(shape);
      }
    }
  }

  /** Boards being polled now (one per distinct shape with subscribers). */
  public int pollers() {
    synchronized (boards) {
      return boards.size();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
