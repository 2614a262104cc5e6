package io.skillquest.store.leaderboard;

import io.skillquest.core.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.ZAddParams;

/**
 * Rebuilds the leaderboard sorted set from PostgreSQL (the source of truth) when Redis lost it or
 * it drifted.
 *
 * <p>Users are read in id order, a page at a time (no connection is held while Redis is written). A
 * missing set is built in a temporary key and swapped in by a short script that first folds in
 * whatever awards wrote meanwhile; an existing one is refreshed in place with ZADD GT, then members
 * the database no longer has are removed. Scores only ever go up, so a concurrent award's ZADD GT
 * is never lost. No command touches more than a chunk of members, so Redis never stalls. A Redis
 * lock (SET NX PX, renewed per page) keeps several processes from rebuilding at once.
 */
final class LeaderboardRebuilder {

  private static final Logger log = LoggerFactory.getLogger(LeaderboardRebuilder.class);
  private static final int PAGE = 10_000;
  private static final int ZADD_CHUNK = 1_000;
  private static final Duration LOCK_TTL = Duration.ofSeconds(60);
  private static final Duration WAIT_FOR_OTHERS = Duration.ofMinutes(5);
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  // folds what awards wrote to the live key while the copy was built (few members) into the copy,
  // then swaps it in
  private static final String SWAP =
      """
            local written = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
            for i = 1, #written, 2 do
              redis.call('ZADD', KEYS[2], 'GT', written[i + 1], written[i])
            end
            redis.call('RENAME', KEYS[2], KEYS[1])
            redis.call('PERSIST', KEYS[1]) -- the copy's safety expiry must not follow it into the live key
            return #written / 2""";
  private static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

  private final UserStandings users;
  private final JedisPooled redis;
  private final Keys keys;

  LeaderboardRebuilder(Jdbi jdbi, JedisPooled redis, Keys keys) {
    this.users = new UserStandings(jdbi);
    this.redis = redis;
    this.keys = keys;
  }

  /**
   * Rebuilds the sorted set if it is missing (Redis restarted empty). If another process is
   * rebuilding, waits for it to finish instead.
   *
   * @return true if this call rebuilt it
   */
  boolean ensurePresent() {
    if (redis.exists(keys.leaderboard())) {
      return false;
    }
    if (users.count() == 0) {
      return false;
    }
    String token = tryLock();
    if (token == null) {
      awaitUnlocked();
      return false;
    }
    try {
      if (redis.exists(keys.leaderboard())) {
        return false;
      }
      copyFromDatabase(token, false);
      return true;
    } finally {
      unlock(token);
    }
  }

  /** Rebuilds unconditionally (the operator command), waiting first for any rebuild in progress. */
  void rebuild() {
    long deadline = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
    String token;
    while ((token = tryLock()) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "another leaderboard rebuild holds " + keys.leaderboardLock());
      }
      sleep(100);
    }
    try {
      copyFromDatabase(token, redis.exists(keys.leaderboard()));
    } finally {
      unlock(token);
    }
  }

  /**
   * Rebuilds when the sorted set's size disagrees with the number of users (members lost, or left
   * over from deleted users). A mismatch is confirmed once more after a moment, because a
   * registration commits in PostgreSQL just before its ZADD. Skips when another process is
   * rebuilding.
   *
   * @return true if it rebuilt
   */
  boolean rebuildIfStale() {
    if (!sizesDiffer()) {
      return false;
    }
    sleep(500);
    if (!sizesDiffer()) {
      return false;
    }
    String token = tryLock();
    if (token == null) {
      return false;
    }
    try {
      log.info(
          "leaderboard holds {} members for {} users; rebuilding",
          redis.zcard(keys.leaderboard()),
          users.count());
      copyFromDatabase(token, redis.exists(keys.leaderboard()));
      return true;
    } finally {
      unlock(token);
    }
  }

  /**
   * Republishes (ZADD GT) every user whose XP changed since {@code since}. This heals scores whose
   * write was lost after the award committed (a worker killed between commit and ZADD, a Redis
   * blip).
   *
   * @return users republished
   */
  int republishChangedSince(Instant since) {
    int written = 0;
    long after = 0;
    while (true) {
      long from = after;
      var page = users.changedSince(since, from, PAGE);
      if (page.isEmpty()) {
        return written;
      }
      LeaderboardScores.raise(redis, keys.leaderboard(), page);
      written += page.size();
      after = page.get(page.size() - 1).userId();
    }
  }

  private boolean sizesDiffer() {
    long members = redis.zcard(keys.leaderboard());
    return members != users.count();
  }

  /**
   * Copies every user's standing from the database, in place (an existing board keeps serving) or
   * aside and swapped in (a missing one: even if a write recreated it meanwhile, readers must not
   * see it half built). Redis is never blocked for long: every command touches at most {@link
   * #ZADD_CHUNK} members, except the final swap of a missing set, whose cost is only the few
   * members awards wrote while it was built. (One ZUNIONSTORE or ZDIFF over a million members
   * stalls Redis for seconds, and with it every request's revocation check and rate limit.)
   */
  private void copyFromDatabase(String token, boolean inPlace) {
    long started = System.nanoTime();
    String live = keys.leaderboard();
    long copied;
    if (inPlace) {
      // readers keep the board they have; ZADD GT only raises, so a concurrent award is never
      // undone
      copied = writePages(live, token);
      removeDeletedUsers(live, token);
    } else {
      // built aside so readers never see a partial board (they read SQL until the swap)
      String tmp = live + ":rebuild:" + token;
      try {
        copied = writePages(tmp, token);
        if (copied == 0) {
          return;
        }
        long merged = (Long) redis.eval(SWAP, List.of(live, tmp), List.of());
        log.debug("merged {} scores written during the rebuild", merged);
      } finally {
        redis.unlink(tmp);
      }
    }
    log.info(
        "leaderboard rebuilt from the database: {} users in {} ms",
        copied,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /**
   * Every user's score into {@code key} with ZADD GT, a page at a time; renews the lock per page.
   */
  private long writePages(String key, String token) {
    long after = 0;
    long written = 0;
    while (true) {
      long from = after;
      var page = users.page(from, PAGE);
      if (page.isEmpty()) {
        return written;
      }
      var replies = new ArrayList<Response<?>>();
      try (var pipeline = redis.pipelined()) {
        Map<String, Double> chunk = new HashMap<>();
        for (var s : page) {
          chunk.put(Long.toString(s.userId()), LeaderboardScores.score(s.totalXp(), s.reachedAt()));
          if (chunk.size() == ZADD_CHUNK) {
            replies.add(pipeline.zadd(key, chunk, ZAddParams.zAddParams().gt()));
            chunk = new HashMap<>();
          }
        }
        if (!chunk.isEmpty()) {
          replies.add(pipeline.zadd(key, chunk, ZAddParams.zAddParams().gt()));
        }
        if (!key.equals(keys.leaderboard())) {
          // a crashed rebuild must not leave its copy behind for ever
          replies.add(pipeline.pexpire(key, Duration.ofMinutes(10).toMillis()));
        }
        replies.add(
            pipeline.eval(
                RENEW,
                List.of(keys.leaderboardLock()),
                List.of(token, Long.toString(LOCK_TTL.toMillis()))));
        pipeline.sync();
      }
      // error replies (OOM, READONLY) stay in the responses after sync(); a partial copy must not
      // be swapped in
      replies.forEach(Response::get);
      written += page.size();
      after = page.get(page.size() - 1).userId();
    }
  }

  /**
   * Members the database does not have (deleted users, junk), found with ZSCAN a page at a time
   * rather than one ZDIFF over the whole set. Users registered meanwhile are in the database, so
   * they stay.
   */
  private void removeDeletedUsers(String live, String token) {
    var params = new ScanParams().count(ZADD_CHUNK);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      var scan = redis.zscan(live, cursor, params);
      cursor = scan.getCursor();
      List<String> gone = new ArrayList<>();
      List<Long> candidates = new ArrayList<>();
      for (var t : scan.getResult()) {
        try {
          candidates.add(Long.parseLong(t.getElement()));
        } catch (NumberFormatException e) {
          gone.add(t.getElement());
        }
      }
      if (!candidates.isEmpty()) {
        var existing = new HashSet<>(users.existing(candidates));
        for (long id : candidates) {
          if (!existing.contains(id)) {
            gone.add(Long.toString(id));
          }
        }
      }
      if (!gone.isEmpty()) {
        redis.zrem(live, gone.toArray(String[]::new));
      }
      redis.eval(
          RENEW,
          List.of(keys.leaderboardLock()),
          List.of(token, Long.toString(LOCK_TTL.toMillis())));
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
  }

  private String tryLock() {
    String token = UUID.randomUUID().toString();
    String ok =
        redis.set(
            keys.leaderboardLock(), token, SetParams.setParams().nx().px(LOCK_TTL.toMillis()));
    return "OK".equals(ok) ? token : null;
  }

  private void unlock(String token) {
    try {
      redis.eval(RELEASE, List.of(keys.leaderboardLock()), List.of(token));
    } catch (RuntimeException e) {
      // the lock expires by itself
      log.debug("could not release the leaderboard lock: {}", e.toString());
    }
  }

  private void awaitUnlocked() {
    long deadline = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
    while (redis.exists(keys.leaderboardLock()) && System.nanoTime() < deadline) {
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
