package io.skillquest.server.leaderboard;

import io.skillquest.core.leaderboard.ScoreCodec;
import io.skillquest.core.xp.Level;
import io.skillquest.server.Services;
import io.skillquest.server.http.Problem;
import io.skillquest.worker.LeaderboardRebuilder;
import io.skillquest.worker.LeaderboardScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;

/**
 * Reads the leaderboard: the Redis sorted set when it answers, the same ordering in SQL when it
 * does not, or while a missing set (Redis restarted empty) is rebuilt from the database in the
 * background. Ranks, XP and levels come from the sorted-set score; only names come from SQL, at
 * most one query per page (names are cached). No database connection is held while Redis is called.
 * A page read from Redis answers requests for the same page for up to 1 ms ({@link
 * #PAGE_REUSE_NANOS}).
 */
public final class Leaderboard {
  private static final Logger log = LoggerFactory.getLogger(Leaderboard.class);

  /**
   * How long one read of a page from Redis may answer further requests for the same page. At 5,000
   * requests/s a Redis round trip costs the server about half the CPU of a top-10 request; reusing
   * a read for 1 ms saves most of them, and 1 ms is far below what anyone watching a live board can
   * tell apart (an award takes several ms to reach the board, SPEC 8 allows 50 ms).
   */
  static final long PAGE_REUSE_NANOS = 1_000_000;

  /**
   * SQL reads at once while Redis is down or being rebuilt. The own-rank and neighbour queries rank
   * every user, so full load falling through to PostgreSQL would starve submits and the rebuild
   * itself; beyond this, a 503 with Retry-After.
   */
  static final int SQL_FALLBACKS = 4;

  private final JedisPooled redis;
  private final String key;
  private final LeaderboardDao users;
  private final Usernames usernames;
  private final LeaderboardRebuilder rebuilder;
  private final LongSupplier nanoTime;
  private final AtomicReference<RecentPage> recent = new AtomicReference<>();
  private final AtomicBoolean rebuilding = new AtomicBoolean();
  private final Semaphore sqlFallbacks;

  /** The last page read from Redis, and when the read began ({@link #nanoTime} units). */
  private record RecentPage(int limit, int offset, long readAt, List<LeaderboardEntry> entries) {}

  public Leaderboard(Services services) {
    this(
        services.jdbi(),
        services.redis(),
        services.keys().leaderboard(),
        new LeaderboardRebuilder(services.jdbi(), services.redis(), services.keys()),
        System::nanoTime,
        SQL_FALLBACKS);
  }

  Leaderboard(
      Jdbi jdbi,
      JedisPooled redis,
      String key,
      LeaderboardRebuilder rebuilder,
      LongSupplier nanoTime,
      int sqlFallbacks) {
    this.redis = redis;
    this.key = key;
    this.users = jdbi.onDemand(LeaderboardDao.class);
    this.usernames = new Usernames(users);
    this.rebuilder = rebuilder;
    this.nanoTime = nanoTime;
    this.sqlFallbacks = new Semaphore(sqlFallbacks);
  }

  /** A page of the board, at most {@link #PAGE_REUSE_NANOS} older than the sorted set. */
  public List<LeaderboardEntry> page(int limit, int offset) {
    long now = nanoTime.getAsLong();
    var last = recent.get();
    if (last != null
        && last.limit() == limit
        && last.offset() == offset
        && now - last.readAt() < PAGE_REUSE_NANOS) {
      return last.entries();
    }
    try {
      var entries = List.copyOf(entries(range(offset, offset + limit - 1), offset));
      recent.set(new RecentPage(limit, offset, now, entries));
      return entries;
    } catch (JedisException | MissingBoard e) {
      return fromSql(e, () -> users.page(limit, offset).stream().map(Leaderboard::entry).toList());
    }
  }

  /** The caller's standing with {@code around} neighbours each side. */
  public MyStanding standing(long userId, int around) {
    try {
      if (around == 0) {
        var alone = alone(userId);
        if (alone.isPresent()) {
          return alone.get();
        }
      }
      // the rank and the range are two reads: someone overtaking in between can shift the caller
      // out of the
      // window, so read again (a few times at most) until the caller is in it
      for (int tries = 0; tries < 3; tries++) {
        long rank = redisRank(userId);
        long start = Math.max(0, rank - around);
        var neighbours = entries(redis.zrevrangeWithScores(key, start, rank + around), start);
        var me = neighbours.stream().filter(n -> n.userId() == userId).findFirst();
        if (me.isPresent()) {
          return standing(me.get(), neighbours);
        }
      }
      throw Problem.notFound("no such user: " + userId);
    } catch (JedisException | MissingBoard e) {
      var neighbours =
          fromSql(e, () -> users.around(userId, around).stream().map(Leaderboard::entry).toList());
      var me =
          neighbours.stream()
              .filter(n -> n.userId() == userId)
              .findFirst()
              .orElseThrow(() -> Problem.notFound("no such user: " + userId));
      return standing(me, neighbours);
    }
  }

  /**
   * The caller alone (the default of /leaderboard/me) in one round trip: score, rank, score again,
   * pipelined. Scores only grow (ZADD GT), so two equal scores mean the rank between them belongs
   * to that score; if they differ, or the caller is not in the set (or no longer a user), empty,
   * and the general path above answers. One pipelined round trip costs about half the CPU of two
   * calls, and MULTI/EXEC costs as much as two.
   */
  private Optional<MyStanding> alone(long userId) {
    var member = Long.toString(userId);
    Response<Double> before;
    Response<Long> rank;
    Response<Double> after;
    try (var p = redis.pipelined()) {
      before = p.zscore(key, member);
      rank = p.zrevrank(key, member);
      after = p.zscore(key, member);
      p.sync();
    }
    if (rank.get() == null || before.get() == null || !before.get().equals(after.get())) {
      return Optional.empty();
    }
    var me = entries(List.of(new Tuple(member, before.get())), rank.get());
    return me.isEmpty() ? Optional.empty() : Optional.of(standing(me.get(0), me));
  }

  private static MyStanding standing(LeaderboardEntry me, List<LeaderboardEntry> neighbours) {
    return new MyStanding(
        me.rank(), me.userId(), me.username(), me.totalXp(), me.level(), neighbours);
  }

  /** The 1-based rank of a user. */
  public long rank(long userId) {
    try {
      return redisRank(userId) + 1;
    } catch (JedisException | MissingBoard e) {
      return fromSql(e, () -> users.rank(userId));
    }
  }

  private List<Tuple> range(long start, long stop) {
    var tuples = redis.zrevrangeWithScores(key, start, stop);
    // only an empty page needs telling apart an empty board or a page past its end from a missing
    // set
    if (tuples.isEmpty()) {
      if (!redis.exists(key)) {
        throw missing();
      }
      // a rebuild may have swapped the set in between the two reads: the empty page was of the
      // missing set
      tuples = redis.zrevrangeWithScores(key, start, stop);
    }
    return tuples;
  }

  /**
   * 0-based position in the sorted set; adds a user missing from it (not from a missing set: that
   * is rebuilt).
   */
  private long redisRank(long userId) {
    var member = Long.toString(userId);
    var rank = zrevrank(member);
    if (rank.isEmpty() && !redis.exists(key)) {
      throw missing();
    }
    if (rank.isEmpty()) {
      // e.g. registered while Redis was down: add them from the database (GT never moves anyone
      // backwards)
      var standing =
          users.standing(userId).orElseThrow(() -> Problem.notFound("no such user: " + userId));
      redis.zadd(
          key,
          LeaderboardScores.score(standing.totalXp(), standing.xpReachedAt()),
          member,
          ZAddParams.zAddParams().gt());
      rank = zrevrank(member);
    }
    return rank.orElseThrow(
        () -> new JedisException("user " + userId + " is not on the leaderboard"));
  }

  /**
   * The same read in SQL, because Redis failed ({@code why} is logged) or the set is being rebuilt.
   */
  private <T> T fromSql(RuntimeException why, Supplier<T> read) {
    if (why instanceof JedisException) {
      log.warn("leaderboard from SQL, Redis is unavailable: {}", why.toString());
    }
    try {
      if (!sqlFallbacks.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        throw Problem.unavailable("the leaderboard is being restored, retry in a moment", 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("the leaderboard is being restored, retry in a moment", 1);
    }
    try {
      return read.get();
    } finally {
      sqlFallbacks.release();
    }
  }

  /** The sorted set is gone; the caller reads SQL meanwhile. */
  private static final class MissingBoard extends RuntimeException {
    MissingBoard() {
      super(null, null, false, false);
    }
  }

  /**
   * Starts rebuilding the missing set from the database, off the request thread: one rebuild of a
   * million users takes seconds, and requests keep answering from SQL meanwhile instead of queueing
   * behind it. One at a time per server; across servers and workers the rebuilder's Redis lock
   * keeps it to one.
   */
  private MissingBoard missing() {
    if (rebuilding.compareAndSet(false, true)) {
      var rebuild =
          new Thread(
              () -> {
                try {
                  if (rebuilder.ensurePresent()) {
                    log.info("leaderboard rebuilt from the database");
                  }
                } catch (RuntimeException e) {
                  log.warn(
                      "leaderboard rebuild failed, retried on the next read: {}", e.toString());
                } finally {
                  rebuilding.set(false);
                }
              },
              "skillquest-leaderboard-rebuild");
      rebuild.setDaemon(true);
      rebuild.start();
    }
    return new MissingBoard();
  }

  private OptionalLong zrevrank(String member) {
    var rank = redis.zrevrank(key, member);
    return rank == null ? OptionalLong.empty() : OptionalLong.of(rank);
  }

  private List<LeaderboardEntry> entries(List<Tuple> tuples, long start) {
    if (tuples.isEmpty()) {
      return List.of();
    }
    var ids = new ArrayList<Long>(tuples.size());
    for (var t : tuples) {
      ids.add(memberId(t));
    }
    var names = usernames.of(ids);
    var out = new ArrayList<LeaderboardEntry>(tuples.size());
    for (int i = 0; i < tuples.size(); i++) {
      long id = ids.get(i);
      var name = names.get(id);
      if (name
          != null) { // a user deleted since the set was written is skipped, ranks stay positional
        long xp = ScoreCodec.totalXp(tuples.get(i).getScore());
        out.add(new LeaderboardEntry(start + i + 1, id, name, xp, Level.levelFor(xp)));
      }
    }
    return out;
  }

  private static long memberId(Tuple t) {
    try {
      return Long.parseLong(t.getElement());
    } catch (NumberFormatException e) {
      return -1; // not a user id: matches no user, so it is skipped
    }
  }

  private static LeaderboardEntry entry(LeaderboardDao.Ranked r) {
    return new LeaderboardEntry(
        r.rank(), r.userId(), r.username(), r.totalXp(), Level.levelFor(r.totalXp()));
  }
}
