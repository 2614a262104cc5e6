package io.skillquest.store.leaderboard;

import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.leaderboard.Standing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The live day, week and month boards: one sorted set per window (score = XP earned in the window,
 * member = {@link RankCodec} member holding when the user reached that sum) with its user-to-member
 * hash, both expiring when the window leaves retention.
 *
 * <p><b>Ties.</b> A user's window standing is their sum and the time of the last award that added
 * to it, so among equal sums whoever reached theirs first ranks higher. Writes carry absolute
 * standings read from PostgreSQL inside the award transaction, never increments, through the same
 * only-upwards script as the all-time board: a replayed, late or reordered write can never count XP
 * twice or move anyone backwards (a sum only grows, and a larger sum always reached later).
 *
 * <p>A missing set is rebuilt from {@code attempts} in the background (aside, then swapped in
 * folding what awards wrote meanwhile); reads answer empty until then so callers use SQL. A window
 * nobody has earned in yet (a new day, week or month) has no set either: a rebuild that finds
 * nobody marks it empty for {@link #KNOWN_EMPTY}, and reads answer it as an empty board.
 */
public final class PeriodBoards implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PeriodBoards.class);
  private static final int PAGE = 10_000;
  private static final int CHUNK = 1_000;
  private static final Duration LOCK_TTL = Duration.ofSeconds(60);

  /**
   * How long a window a rebuild found nobody in reads as an empty board. Without it every read of a
   * new window would go to SQL and start another rebuild until the window's first award; with it
   * that is one scan a second for all processes. It also bounds how long a set lost from Redis
   * (evicted) while its window has awards can read as empty.
   */
  static final Duration KNOWN_EMPTY = Duration.ofSeconds(1);

  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  /** KEYS: a board and its member hash. ARGV: the epoch millisecond both expire at. */
  private static final LeaderboardScores.Script EXPIRE_AT =
      new LeaderboardScores.Script(
          """
          redis.call('PEXPIREAT', KEYS[1], ARGV[1])
          redis.call('PEXPIREAT', KEYS[2], ARGV[1])
          return 1""");

  private final UnifiedJedis redis;
  private final Keys keys;
  private final PeriodSettings settings;
  private final PeriodAttempts attempts;
  private final Set<String> rebuilding = ConcurrentHashMap.newKeySet();
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "skillquest-period-board-rebuild");
            t.setDaemon(true);
            return t;
          });

  public PeriodBoards(Jdbi jdbi, UnifiedJedis redis, Keys keys, PeriodSettings settings) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
    this.attempts = new PeriodAttempts(jdbi);
  }

  public PeriodSettings settings() {
    return settings;
  }

  /**
   * The window of a period containing an instant, in the boards' zone.
   *
   * @param period day, week or month
   * @param at the instant
   * @return the window
   */
  public PeriodWindow window(Period period, Instant at) {
    return PeriodWindow.containing(period, at, settings.zone());
  }

  /**
   * Raises users' standings on a window's board (never lowers them) and sets its expiry to the end
   * of its retention.
   *
   * @param w the window
   * @param standings sums earned in the window and when they were reached
   */
  public void raise(PeriodWindow w, Collection<Standing> standings) {
    if (standings.isEmpty()) {
      return;
    }
    String board = keys.periodBoard(w.id());
    String members = keys.periodBoardMembers(w.id());
    LeaderboardScores.raise(redis, board, members, standings, CHUNK);
    expire(board, members, w);
  }

  /**
   * Raises several windows' boards and sets their expiries in one round trip: what {@link
   * #raise(PeriodWindow, Collection)} does for each, in one script (the keys share the boards' hash
   * slot, and a cluster client's pipeline would start threads on every sync). A window with more
   * standings than a script should carry is raised on its own.
   *
   * @param windows standings per window
   */
  public void raise(Map<PeriodWindow, ? extends Collection<Standing>> windows) {
    var keyList = new ArrayList<String>();
    var args = new ArrayList<String>();
    windows.forEach(
        (w, standings) -> {
          if (standings.isEmpty()) {
            return;
          }
          if (standings.size() > CHUNK) {
            raise(w, standings);
            return;
          }
          keyList.add(keys.periodBoard(w.id()));
          keyList.add(keys.periodBoardMembers(w.id()));
          args.add(Integer.toString(standings.size()));
          args.add(Long.toString(w.retainedUntil(settings.retention(w.period())).toEpochMilli()));
          standings.forEach(s -> LeaderboardScores.addRaise(args, s));
        });
    if (!keyList.isEmpty()) {
      LeaderboardScores.RAISE_WINDOWS.eval(redis, keyList, args);
    }
  }

  private void expire(String board, String members, PeriodWindow w) {
    long at = w.retainedUntil(settings.retention(w.period())).toEpochMilli();
    // one script rather than a pipeline: a cluster client's pipeline starts threads on every sync,
    // and the two keys share a slot anyway
    EXPIRE_AT.eval(redis, List.of(board, members), List.of(Long.toString(at)));
  }

  /**
   * Positions {@code start..stop} of a window's board, with the number of users with strictly more
   * XP than the first row. Empty when the set is missing (a rebuild is then started).
   */
  public Optional<LeaderboardStore.Page> range(PeriodWindow w, long start, long stop) {
    var reply =
        (List<?>)
            LeaderboardScores.RANGE_WITH_ABOVE.eval(
                redis,
                List.of(keys.periodBoard(w.id()), emptyMarker(w)),
                List.of(Long.toString(start), Long.toString(stop)));
    if (reply.size() < 3) {
      if (((Number) reply.get(0)).longValue() == 0) {
        missing(w);
        return Optional.empty();
      }
      return Optional.of(new LeaderboardStore.Page(List.of(), 0));
    }
    var flat = (List<?>) reply.get(1);
    var out = new ArrayList<LeaderboardStore.Entry>(flat.size() / 2);
    for (int i = 0; i < flat.size(); i += 2) {
      long id;
      try {
        id = RankCodec.decodeMember(text(flat.get(i))).userId();
      } catch (IllegalArgumentException e) {
        id = -1;
      }
      out.add(
          new LeaderboardStore.Entry(
              start + i / 2, id, RankCodec.totalXp(Double.parseDouble(text(flat.get(i + 1))))));
    }
    return Optional.of(new LeaderboardStore.Page(out, ((Number) reply.get(2)).longValue()));
  }

  /**
   * A user's place on a window's board: empty when the set is missing (a rebuild is then started);
   * present but empty when the user earned nothing in the window.
   */
  public Optional<Optional<LeaderboardStore.Place>> place(PeriodWindow w, long userId) {
    var reply =
        (List<?>)
            LeaderboardScores.PLACE.eval(
                redis,
                List.of(keys.periodBoard(w.id()), keys.periodBoardMembers(w.id()), emptyMarker(w)),
                List.of(Long.toString(userId)));
    if (reply.size() < 4) {
      if (((Number) reply.get(0)).longValue() == 0) {
        missing(w);
        return Optional.empty();
      }
      return Optional.of(Optional.empty());
    }
    long position = ((Number) reply.get(1)).longValue();
    long xp = RankCodec.totalXp(Double.parseDouble(text(reply.get(2))));
    long above = ((Number) reply.get(3)).longValue();
    return Optional.of(
        Optional.of(
            new LeaderboardStore.Place(new LeaderboardStore.Entry(position, userId, xp), above)));
  }

  /**
   * A place on a window's board and the user's all-time XP.
   *
   * @param place the place on the window's board
   * @param allTimeXp the user's XP on the all-time board; null when they are not on it (it is
   *     missing or being rebuilt)
   */
  public record PlaceAndTotal(LeaderboardStore.Place place, Long allTimeXp) {}

  /**
   * {@link #place} and the user's all-time XP in one round trip: what a user's own standing on a
   * window needs, without a database read.
   */
  public Optional<Optional<PlaceAndTotal>> placeAndTotal(PeriodWindow w, long userId) {
    var reply =
        (List<?>)
            LeaderboardScores.PLACE_WITH_TOTAL.eval(
                redis,
                List.of(
                    keys.periodBoard(w.id()),
                    keys.periodBoardMembers(w.id()),
                    keys.leaderboard(),
                    keys.leaderboardMembers(),
                    emptyMarker(w)),
                List.of(Long.toString(userId)));
    if (reply.size() < 4) {
      if (((Number) reply.get(0)).longValue() == 0) {
        missing(w);
        return Optional.empty();
      }
      return Optional.of(Optional.empty());
    }
    long position = ((Number) reply.get(1)).longValue();
    long xp = RankCodec.totalXp(Double.parseDouble(text(reply.get(2))));
    long above = ((Number) reply.get(3)).longValue();
    Object total = reply.size() > 4 ? reply.get(4) : null;
    return Optional.of(
        Optional.of(
            new PlaceAndTotal(
                new LeaderboardStore.Place(new LeaderboardStore.Entry(position, userId, xp), above),
                total == null ? null : RankCodec.totalXp(Double.parseDouble(text(total))))));
  }

  /**
   * Rebuilds a window's set from {@code attempts} if it is missing. Only one process rebuilds a
   * window at a time (a Redis lock); others skip.
   *
   * @param w the window
   * @return true if this call rebuilt it
   */
  public boolean ensurePresent(PeriodWindow w) {
    String board = keys.periodBoard(w.id());
    if (redis.exists(board)) {
      return false;
    }
    String lock = board + ":rebuild-lock";
    String token = UUID.randomUUID().toString();
    if (!"OK".equals(redis.set(lock, token, SetParams.setParams().nx().px(LOCK_TTL.toMillis())))) {
      return false;
    }
    String members = keys.periodBoardMembers(w.id());
    String tmp = board + ":rebuild:" + token;
    String tmpMembers = tmp + ":members";
    try {
      if (redis.exists(board)) {
        return false;
      }
      long after = 0;
      long copied = 0;
      while (true) {
        var page = attempts.page(w, after, PAGE);
        if (page.isEmpty()) {
          break;
        }
        LeaderboardScores.raise(redis, tmp, tmpMembers, page, CHUNK);
        redis.pexpire(tmp, Duration.ofMinutes(10).toMillis());
        redis.pexpire(tmpMembers, Duration.ofMinutes(10).toMillis());
        redis.pexpire(lock, LOCK_TTL.toMillis());
        copied += page.size();
        after = page.get(page.size() - 1).userId();
      }
      if (copied == 0) {
        // nobody earned XP in the window: no set to keep, but reads may stop asking for a while
        redis.set(emptyMarker(w), "1", SetParams.setParams().px(KNOWN_EMPTY.toMillis()));
        return false;
      }
      LeaderboardScores.SWAP.eval(redis, List.of(board, members, tmp, tmpMembers), List.of());
      expire(board, members, w);
      log.info("period board {} rebuilt from the database: {} users", w.id(), copied);
      return true;
    } finally {
      redis.unlink(tmp, tmpMembers);
      try {
        redis.eval(RELEASE, List.of(lock), List.of(token));
      } catch (RuntimeException e) {
        log.debug("could not release {}: {}", lock, e.toString());
      }
    }
  }

  /** Present while the window is known to have nobody on it (same hash slot as its board). */
  private String emptyMarker(PeriodWindow w) {
    return keys.periodBoard(w.id()) + ":empty";
  }

  private void missing(PeriodWindow w) {
    if (!rebuilding.add(w.id())) {
      return;
    }
    try {
      background.execute(
          () -> {
            try {
              ensurePresent(w);
            } catch (RuntimeException e) {
              log.warn("period board {} rebuild failed: {}", w.id(), e.toString());
            } finally {
              rebuilding.remove(w.id());
            }
          });
    } catch (RuntimeException e) {
      rebuilding.remove(w.id()); // closed
    }
  }

  private static String text(Object bulk) {
    return bulk instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : bulk.toString();
  }

  @Override
  public void close() {
    background.shutdownNow();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
