package io.skillquest.store.leaderboard;

import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.leaderboard.Standing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The one owner of the leaderboard sorted set: raising scores after awards, reading ranks and
 * pages, and rebuilding the set from PostgreSQL when Redis lost it or it drifted.
 *
 * <p>Reads never write. A read that finds the set missing answers empty and starts one rebuild in
 * the background (at most one per store; across processes the rebuild's Redis lock keeps it to
 * one), so callers can answer from SQL meanwhile instead of queueing behind a rebuild of a million
 * users. Places only ever go up (see {@link LeaderboardScores}), so late, repeated or concurrent
 * writes never move anyone backwards. Ties are exact: equal XP is ordered by who reached it first,
 * to the millisecond, then by user id.
 */
public final class LeaderboardStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaderboardStore.class);

  /** A member of the board: its 0-based position, user id and total XP. */
  public record Entry(long position, long userId, long totalXp) {}

  /**
   * A user's entry and the number of users with strictly more XP (their competition rank minus 1).
   */
  public record Place(Entry entry, long usersAbove) {}

  /** A page of the board and the number of users with strictly more XP than its first row. */
  public record Page(List<Entry> entries, long usersAboveFirst) {}

  /** Users per raise script, so no script holds Redis for long. */
  private static final int RAISE_CHUNK = 1_000;

  /**
   * How far back the first upkeep republishes scores, covering a predecessor killed between commit
   * and ZADD.
   */
  private static final Duration STARTUP_REPUBLISH = Duration.ofMinutes(15);

  /**
   * Overlap between republish windows: an award's xp_reached_at is its transaction's start, a
   * little before its commit.
   */
  private static final Duration REPUBLISH_OVERLAP = Duration.ofMinutes(1);

  private final UnifiedJedis redis;
  private final String key;
  private final String members;
  private final UserStandings users;
  private final LeaderboardRebuilder rebuilder;
  private final AtomicBoolean rebuilding = new AtomicBoolean();
  private final AtomicBoolean requested = new AtomicBoolean();
  private Instant republishedUpTo;
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "skillquest-leaderboard-rebuild");
            t.setDaemon(true);
            return t;
          });

  public LeaderboardStore(Jdbi jdbi, UnifiedJedis redis, Keys keys) {
    this.redis = redis;
    this.key = keys.leaderboard();
    this.members = keys.leaderboardMembers();
    this.users = new UserStandings(jdbi);
    this.rebuilder = new LeaderboardRebuilder(jdbi, redis, keys);
  }

  /** Raises one user's score to their committed standing (never lowers it). */
  public void raise(Standing s) {
    LeaderboardScores.raise(redis, key, members, s);
  }

  /** Raises many users' scores in one pipelined round trip. */
  public void raise(Collection<Standing> standings) {
    LeaderboardScores.raise(redis, key, members, standings, RAISE_CHUNK);
  }

  /**
   * Positions {@code start..stop} (0-based, inclusive), best first; empty when the set is missing
   * (a rebuild is then under way). A page past the end of an existing board is an empty list.
   */
  public Optional<List<Entry>> range(long start, long stop) {
    var tuples = redis.zrevrangeWithScores(key, start, stop);
    // only an empty page needs telling apart an empty board or a page past its end from a missing
    // set
    if (tuples.isEmpty()) {
      if (!redis.exists(key)) {
        return missing();
      }
      // a rebuild may have swapped the set in between the two reads: the empty page was of the
      // missing set
      tuples = redis.zrevrangeWithScores(key, start, stop);
    }
    return Optional.of(entries(tuples, start));
  }

  /**
   * Like {@link #range}, with the number of users with strictly more XP than the page's first row,
   * read in the same script (for competition ranks). Empty when the set is missing.
   */
  public Optional<Page> rangeWithAbove(long start, long stop) {
    var reply =
        (List<?>)
            LeaderboardScores.RANGE_WITH_ABOVE.eval(
                redis, List.of(key), List.of(Long.toString(start), Long.toString(stop)));
    if (reply.size() < 3) {
      if (((Number) reply.get(0)).longValue() == 0) {
        return missing();
      }
      return Optional.of(new Page(List.of(), 0));
    }
    var flat = (List<?>) reply.get(1);
    var out = new ArrayList<Entry>(flat.size() / 2);
    for (int i = 0; i < flat.size(); i += 2) {
      long id;
      try {
        id = RankCodec.decodeMember(text(flat.get(i))).userId();
      } catch (IllegalArgumentException e) {
        id = -1; // not a member: matches no user, so readers skip it
      }
      out.add(
          new Entry(
              start + i / 2, id, RankCodec.totalXp(Double.parseDouble(text(flat.get(i + 1))))));
    }
    return Optional.of(new Page(out, ((Number) reply.get(2)).longValue()));
  }

  /**
   * The user's 0-based position; empty when they are not on the board (a missing set, which starts
   * a rebuild, or a user the set does not hold yet, e.g. registered while Redis was down, until the
   * worker's upkeep adds them).
   */
  public OptionalLong position(long userId) {
    return place(userId)
        .map(p -> OptionalLong.of(p.entry().position()))
        .orElse(OptionalLong.empty());
  }

  /**
   * The user's entry and how many users have strictly more XP, read in one script (member from the
   * hash, rank, score, count of greater scores), so all of it describes one moment. Empty when the
   * user is not on the board or the set is missing (which starts a rebuild).
   */
  public Optional<Place> place(long userId) {
    var reply =
        (List<?>)
            LeaderboardScores.PLACE.eval(
                redis, List.of(key, members), List.of(Long.toString(userId)));
    if (reply.size() < 4) {
      if (((Number) reply.get(0)).longValue() == 0) {
        missing();
      }
      return Optional.empty();
    }
    long position = ((Number) reply.get(1)).longValue();
    long xp = RankCodec.totalXp(Double.parseDouble(text(reply.get(2))));
    long above = ((Number) reply.get(3)).longValue();
    return Optional.of(new Place(new Entry(position, userId, xp), above));
  }

  /**
   * The total XP of each of these users on the board, read in one script; a user the board does not
   * hold (or every user, while the set is missing) is absent from the map.
   */
  public Map<Long, Long> totals(List<Long> userIds) {
    if (userIds.isEmpty()) {
      return Map.of();
    }
    var args = new ArrayList<String>(userIds.size());
    for (long id : userIds) {
      args.add(Long.toString(id));
    }
    var reply = (List<?>) LeaderboardScores.SCORES.eval(redis, List.of(key, members), args);
    var totals = new HashMap<Long, Long>(userIds.size() * 2);
    for (int i = 0; i < userIds.size(); i++) {
      if (reply.get(i) != null) {
        totals.put(userIds.get(i), RankCodec.totalXp(Double.parseDouble(text(reply.get(i)))));
      }
    }
    return totals;
  }

  /** The user's entry; see {@link #place}. */
  public Optional<Entry> entry(long userId) {
    return place(userId).map(Place::entry);
  }

  /**
   * How many users have strictly more XP than {@code totalXp}: one more than this is the
   * competition rank of a user with that XP. O(log n).
   */
  public long countAbove(long totalXp) {
    return redis.zcount(key, "(" + totalXp, "+inf");
  }

  private static String text(Object bulk) {
    return bulk instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.US_ASCII)
        : bulk.toString();
  }

  /**
   * Rebuilds the set if it is missing, waiting for a rebuild another process runs.
   *
   * @return true if this call rebuilt it
   */
  public boolean ensurePresent() {
    return rebuilder.ensurePresent();
  }

  /** Rebuilds unconditionally (the operator command), after any rebuild in progress. */
  public void rebuild() {
    rebuilder.rebuild();
  }

  /**
   * Rebuilds when the set's size disagrees with the number of users; skips when another process is
   * rebuilding.
   *
   * @return true if it rebuilt
   */
  public boolean rebuildIfStale() {
    return rebuilder.rebuildIfStale();
  }

  /**
   * Republishes every user whose XP changed since {@code since}: heals scores whose write was lost
   * after the award committed (a worker killed between commit and ZADD, a Redis blip).
   *
   * @return users republished
   */
  public int republishChangedSince(Instant since) {
    return rebuilder.republishChangedSince(since);
  }

  /**
   * The worker's periodic check: rebuild the set if missing or stale, then republish the users
   * whose XP changed since the previous upkeep (from further back on the first one).
   */
  public synchronized void upkeep() {
    Instant dbNow = users.now();
    rebuilder.ensurePresent();
    rebuilder.rebuildIfStale();
    Instant since =
        republishedUpTo == null
            ? dbNow.minus(STARTUP_REPUBLISH)
            : republishedUpTo.minus(REPUBLISH_OVERLAP);
    rebuilder.republishChangedSince(since);
    republishedUpTo = dbNow;
  }

  /** True while this store's background rebuild runs. */
  public boolean rebuilding() {
    return rebuilding.get();
  }

  private <T> Optional<T> missing() {
    requested.set(true);
    if (rebuilding.compareAndSet(false, true)) {
      rebuildInBackground();
    }
    return Optional.empty();
  }

  /**
   * Rebuilds until no read has found the set missing since the last rebuild began: a set lost again
   * while a rebuild finishes is rebuilt again, not left missing until the next upkeep.
   */
  private void rebuildInBackground() {
    try {
      background.execute(
          () -> {
            try {
              while (requested.getAndSet(false)) {
                try {
                  if (rebuilder.ensurePresent()) {
                    log.info("leaderboard rebuilt from the database");
                  }
                } catch (RuntimeException e) {
                  log.warn(
                      "leaderboard rebuild failed, retried on the next read: {}", e.toString());
                }
              }
            } finally {
              rebuilding.set(false);
              if (requested.get() && rebuilding.compareAndSet(false, true)) {
                rebuildInBackground();
              }
            }
          });
    } catch (RuntimeException e) {
      rebuilding.set(false); // closed: nothing to start
    }
  }

  private static List<Entry> entries(List<Tuple> tuples, long start) {
    var out = new ArrayList<Entry>(tuples.size());
    for (int i = 0; i < tuples.size(); i++) {
      var t = tuples.get(i);
      out.add(new Entry(start + i, memberId(t), RankCodec.totalXp(t.getScore())));
    }
    return out;
  }

  private static long memberId(Tuple t) {
    try {
      return RankCodec.decodeMember(t.getElement()).userId();
    } catch (IllegalArgumentException e) {
      return -1; // not a member: matches no user, so readers skip it
    }
  }

  /** Stops a background rebuild in progress (its Redis lock expires by itself). */
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
