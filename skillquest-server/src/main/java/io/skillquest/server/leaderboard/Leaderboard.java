package io.skillquest.server.leaderboard;

import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.core.xp.Level;
import io.skillquest.store.leaderboard.LeaderboardStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads the leaderboard: the Redis sorted set when it answers, the same ordering in SQL when it
 * does not, or while a missing set is rebuilt in the background. Ranks, XP and levels come from the
 * sorted set; only names come from SQL, at most one query per page (names are cached). A page read
 * from Redis answers requests for the same page for up to {@link #PAGE_REUSE_NANOS}.
 */
public final class Leaderboard {
  private static final Logger log = LoggerFactory.getLogger(Leaderboard.class);

  /**
   * How long one read of a page from Redis may answer further requests for the same page. At 5,000
   * requests/s a Redis round trip costs the server about half the CPU of a top-10 request; reusing
   * a read for 1 ms saves most of them, and 1 ms is far below what anyone watching a live board can
   * tell apart (an award takes several ms to reach the board).
   */
  static final long PAGE_REUSE_NANOS = 1_000_000;

  /**
   * SQL reads at once while Redis is down or being rebuilt. The own-rank and neighbour queries rank
   * every user, so full load falling through to PostgreSQL would starve submits and the rebuild
   * itself; beyond this, {@link Busy}.
   */
  static final int SQL_FALLBACKS = 4;

  /** Too many reads are falling back to SQL at once: retry in a moment. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("the leaderboard is being restored, retry in a moment", null, false, false);
    }
  }

  private final LeaderboardStore store;
  private final LeaderboardDao users;
  private final Usernames usernames;
  private final LongSupplier nanoTime;
  private final AtomicReference<RecentPage> recent = new AtomicReference<>();
  private final Semaphore sqlFallbacks;

  /** The last page read from Redis, and when the read began ({@link #nanoTime} units). */
  private record RecentPage(
      int limit, int offset, Ranking ranking, long readAt, List<LeaderboardEntry> entries) {}

  public Leaderboard(LeaderboardStore store, LeaderboardDao users) {
    this(store, users, System::nanoTime, SQL_FALLBACKS);
  }

  Leaderboard(
      LeaderboardStore store, LeaderboardDao users, LongSupplier nanoTime, int sqlFallbacks) {
    this.store = store;
    this.users = users;
    this.usernames = new Usernames(users);
    this.nanoTime = nanoTime;
    this.sqlFallbacks = new Semaphore(sqlFallbacks);
  }

  /** A page of the board with ordinal ranks; see {@link #page(int, int, Ranking)}. */
  public List<LeaderboardEntry> page(int limit, int offset) {
    return page(limit, offset, Ranking.ORDINAL);
  }

  /**
   * A page of the board, at most {@link #PAGE_REUSE_NANOS} older than the sorted set. Competition
   * ranks need one count of greater scores for the page's first row (read with the page in one
   * script), the rest follow from the page itself.
   */
  public List<LeaderboardEntry> page(int limit, int offset, Ranking ranking) {
    long now = nanoTime.getAsLong();
    var last = recent.get();
    if (last != null
        && last.limit() == limit
        && last.offset() == offset
        && last.ranking() == ranking
        && now - last.readAt() < PAGE_REUSE_NANOS) {
      return last.entries();
    }
    try {
      Optional<List<LeaderboardEntry>> read = redisPage(offset, offset + limit - 1L, ranking);
      if (read.isPresent()) {
        var entries = List.copyOf(read.get());
        recent.set(new RecentPage(limit, offset, ranking, now, entries));
        return entries;
      }
    } catch (JedisException e) {
      logOutage(e);
    }
    return fromSql(
        () -> users.page(limit, offset, ranking).stream().map(Leaderboard::entry).toList());
  }

  /** Positions start..stop from Redis with the ranking's numbers; empty when the set is missing. */
  private Optional<List<LeaderboardEntry>> redisPage(long start, long stop, Ranking ranking) {
    if (ranking == Ranking.ORDINAL) {
      return store.range(start, stop).map(entries -> named(entries, null));
    }
    return store
        .rangeWithAbove(start, stop)
        .map(
            page -> {
              var xps =
                  page.entries().stream().mapToLong(LeaderboardStore.Entry::totalXp).toArray();
              return named(page.entries(), ranking.ranks(start, page.usersAboveFirst(), xps));
            });
  }

  /** The caller's standing with ordinal ranks; see {@link #standing(long, int, Ranking)}. */
  public MyStanding standing(long userId, int around) {
    return standing(userId, around, Ranking.ORDINAL);
  }

  /**
   * The caller's standing with {@code around} neighbours each side.
   *
   * @throws NoSuchElementException when the user does not exist
   */
  public MyStanding standing(long userId, int around, Ranking ranking) {
    try {
      if (around == 0) {
        var alone =
            store
                .place(userId)
                .map(
                    p ->
                        named(
                            List.of(p.entry()),
                            new long[] {
                              ranking == Ranking.COMPETITION
                                  ? p.usersAbove() + 1
                                  : p.entry().position() + 1
                            }));
        if (alone.isPresent() && !alone.get().isEmpty()) {
          return standing(alone.get().get(0), alone.get());
        }
      }
      // the rank and the range are two reads: someone overtaking in between can shift the caller
      // out of the window, so read again (a few times at most) until the caller is in it
      for (int tries = 0; tries < 3; tries++) {
        var position = store.position(userId);
        if (position.isEmpty()) {
          break;
        }
        long start = Math.max(0, position.getAsLong() - around);
        var range = redisPage(start, position.getAsLong() + around, ranking);
        if (range.isEmpty()) {
          break;
        }
        var neighbours = range.get();
        var me = neighbours.stream().filter(n -> n.userId() == userId).findFirst();
        if (me.isPresent()) {
          return standing(me.get(), neighbours);
        }
      }
    } catch (JedisException e) {
      logOutage(e);
    }
    var neighbours =
        fromSql(
            () -> users.around(userId, around, ranking).stream().map(Leaderboard::entry).toList());
    var me =
        neighbours.stream()
            .filter(n -> n.userId() == userId)
            .findFirst()
            .orElseThrow(() -> new NoSuchElementException("no such user: " + userId));
    return standing(me, neighbours);
  }

  /** The 1-based rank of a user. */
  public long rank(long userId) {
    try {
      var position = store.position(userId);
      if (position.isPresent()) {
        return position.getAsLong() + 1;
      }
    } catch (JedisException e) {
      logOutage(e);
    }
    return fromSql(() -> users.rank(userId));
  }

  /**
   * Names and all-time totals of users, from the username cache and the sorted set: what a period
   * board's rows need beside their period XP. A user missing from either (no such user, or not on
   * the set while it is rebuilt) is absent.
   *
   * @throws JedisException when Redis fails
   */
  Map<Long, PeriodDao.User> namesAndTotals(List<Long> ids) {
    var totals = store.totals(ids);
    var names = usernames.of(ids);
    var out = new HashMap<Long, PeriodDao.User>(ids.size() * 2);
    totals.forEach(
        (id, total) -> {
          var name = names.get(id);
          if (name != null) {
            out.put(id, new PeriodDao.User(name, total));
          }
        });
    return out;
  }

  /** The cached name of a user, or null when there is no such user. */
  String username(long userId) {
    return usernames.of(List.of(userId)).get(userId);
  }

  private static MyStanding standing(LeaderboardEntry me, List<LeaderboardEntry> neighbours) {
    return new MyStanding(
        me.rank(), me.userId(), me.username(), me.totalXp(), me.level(), neighbours);
  }

  private static void logOutage(JedisException e) {
    log.warn("leaderboard from SQL, Redis is unavailable: {}", e.toString());
  }

  /** The same read in SQL, because Redis failed or the set is being rebuilt. */
  private <T> T fromSql(Supplier<T> read) {
    try {
      if (!sqlFallbacks.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        throw new Busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Busy();
    }
    try {
      return read.get();
    } finally {
      sqlFallbacks.release();
    }
  }

  /**
   * Entries with their names and ranks ({@code ranks[i]} for entry i, or the ordinal position when
   * {@code ranks} is null); a user deleted since the set was written is skipped.
   */
  private List<LeaderboardEntry> named(List<LeaderboardStore.Entry> entries, long[] ranks) {
    if (entries.isEmpty()) {
      return List.of();
    }
    var ids = new ArrayList<Long>(entries.size());
    for (var e : entries) {
      ids.add(e.userId());
    }
    var names = usernames.of(ids);
    var out = new ArrayList<LeaderboardEntry>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      var e = entries.get(i);
      var name = names.get(e.userId());
      if (name != null) {
        long rank = ranks == null ? e.position() + 1 : ranks[i];
        out.add(
            new LeaderboardEntry(rank, e.userId(), name, e.totalXp(), Level.levelFor(e.totalXp())));
      }
    }
    return out;
  }

  private static LeaderboardEntry entry(LeaderboardDao.Ranked r) {
    return new LeaderboardEntry(
        r.rank(), r.userId(), r.username(), r.totalXp(), Level.levelFor(r.totalXp()));
  }
}
