package io.skillquest.store.leaderboard;

import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.RankCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;

/**
 * Rebuilds the leaderboard sorted set from PostgreSQL (the source of truth) when Redis lost it or
 * it drifted.
 *
 * <p>Users are read in id order, a page at a time (no connection is held while Redis is written). A
 * missing board is built in temporary keys and swapped in by a short script that first folds in
 * whatever awards wrote meanwhile (found through the live user-to-member hash); an existing one is
 * refreshed in place with the raise script, then members that are not their user's current one or
 * whose user was deleted are removed. Places only ever go up, so a concurrent award is never lost.
 * No command touches more than a chunk of members, so Redis never stalls. A Redis lock (SET NX PX,
 * renewed per page) keeps several processes from rebuilding at once.
 */
final class LeaderboardRebuilder {

  private static final Logger log = LoggerFactory.getLogger(LeaderboardRebuilder.class);
  private static final int PAGE = 10_000;
  private static final int ZADD_CHUNK = 1_000;
  private static final Duration LOCK_TTL = Duration.ofSeconds(60);
  private static final Duration WAIT_FOR_OTHERS = Duration.ofMinutes(5);
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  private static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

  /** Staleness checks per full count of the users, at most (see {@link #mismatch}). */
  private static final int CHECKS_PER_COUNT = 6;

  /** Past this many newcomers since the last count, counting them all is as cheap. */
  private static final int JOINED_CAP = 10_000;

  private final UserStandings users;
  private final UnifiedJedis redis;
  private final Keys keys;

  /** The users as last counted while the board held exactly that many; null to count again. */
  private UserStandings.Census agreed;

  private int checksSinceCount;

  LeaderboardRebuilder(Jdbi jdbi, UnifiedJedis redis, Keys keys) {
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
    if (users.census().count() == 0) {
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
    if (mismatch() == null) {
      return false;
    }
    sleep(500);
    var counted = mismatch();
    if (counted == null) {
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
          counted.count());
      copyFromDatabase(token, redis.exists(keys.leaderboard()));
      return true;
    } finally {
      unlock(token);
    }
  }

  /**
   * Republishes (only ever upwards) every user whose XP changed since {@code since}. This heals
   * scores whose write was lost after the award committed (a worker killed between commit and ZADD,
   * a Redis blip).
   *
   * @return users republished
   */
  int republishChangedSince(Instant since) {
    int written = 0;
    var page = UserStandings.Changed.since(since);
    while (!(page = users.changedAfter(page, PAGE)).standings().isEmpty()) {
      LeaderboardScores.raise(
          redis, keys.leaderboard(), keys.leaderboardMembers(), page.standings(), ZADD_CHUNK);
      written += page.standings().size();
    }
    return written;
  }

  /**
   * The users as counted, when the board's size differs from their number; null when it does not.
   * Counting every user takes 60 ms at a million, so once the two agreed, a check counts only the
   * users who joined since (ids only grow). A lost member, or a deletion whose removal reached the
   * board, changes the size and brings on a full count at once; a deletion whose removal was lost
   * leaves the size as it was and is found by the full count every {@value #CHECKS_PER_COUNT}
   * checks.
   */
  private synchronized UserStandings.Census mismatch() {
    long members = redis.zcard(keys.leaderboard());
    if (agreed != null && ++checksSinceCount < CHECKS_PER_COUNT) {
      var joined = users.joinedAfter(agreed.newestId(), JOINED_CAP);
      long expected = agreed.count() + joined.count();
      if (joined.count() < JOINED_CAP && members == expected) {
        agreed = new UserStandings.Census(expected, joined.newestId());
        return null;
      }
    }
    var census = users.census();
    checksSinceCount = 0;
    agreed = members == census.count() ? census : null;
    return agreed == null ? census : null;
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
      // readers keep the board they have; the raise script only raises, so a concurrent award is
      // never
      // undone
      copied = writePages(live, keys.leaderboardMembers(), token);
      removeStaleMembers(live, keys.leaderboardMembers(), token);
    } else {
      // built aside so readers never see a partial board (they read SQL until the swap)
      // the copy's keys contain the live key, so they share its hash tag
      String tmp = live + ":rebuild:" + token;
      String tmpMembers = tmp + ":members";
      try {
        copied = writePages(tmp, tmpMembers, token);
        if (copied == 0) {
          return;
        }
        Object merged =
            LeaderboardScores.SWAP.eval(
                redis, List.of(live, keys.leaderboardMembers(), tmp, tmpMembers), List.of());
        log.debug("merged {} places written during the rebuild", merged);
      } finally {
        redis.unlink(tmp, tmpMembers);
      }
    }
    log.info(
        "leaderboard rebuilt from the database: {} users in {} ms",
        copied,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /**
   * Every user's place into {@code key} with the raise script, a page at a time; renews the lock
   * per page.
   */
  private long writePages(String key, String members, String token) {
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
        var args = new ArrayList<String>(ZADD_CHUNK * 3);
        for (var s : page) {
          LeaderboardScores.addRaise(args, s);
          if (args.size() == ZADD_CHUNK * 3) {
            replies.add(pipeline.eval(LeaderboardScores.RAISE.text, List.of(key, members), args));
            args = new ArrayList<>(ZADD_CHUNK * 3);
          }
        }
        if (!args.isEmpty()) {
          replies.add(pipeline.eval(LeaderboardScores.RAISE.text, List.of(key, members), args));
        }
        if (!key.equals(keys.leaderboard())) {
          // a crashed rebuild must not leave its copy behind for ever
          replies.add(pipeline.pexpire(key, Duration.ofMinutes(10).toMillis()));
          replies.add(pipeline.pexpire(members, Duration.ofMinutes(10).toMillis()));
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
   * Removes, with ZSCAN a chunk at a time rather than one command over the whole set, members that
   * are not a user's current one (junk, or left over when the hash was lost, which the pages just
   * written have restored) and members of users the database no longer has. Users registered
   * meanwhile are in the database, so they stay.
   */
  private void removeStaleMembers(String live, String members, String token) {
    var params = new ScanParams().count(ZADD_CHUNK);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      var scan = redis.zscan(live, cursor, params);
      cursor = scan.getCursor();
      var args = new ArrayList<String>();
      var candidates = new ArrayList<Long>();
      var candidateMembers = new ArrayList<String>();
      for (var t : scan.getResult()) {
        try {
          candidates.add(RankCodec.decodeMember(t.getElement()).userId());
          candidateMembers.add(t.getElement());
        } catch (IllegalArgumentException e) {
          args.addAll(List.of("-", t.getElement(), "1"));
        }
      }
      if (!candidates.isEmpty()) {
        var existing = new HashSet<>(users.existing(candidates));
        for (int i = 0; i < candidates.size(); i++) {
          long id = candidates.get(i);
          args.addAll(
              List.of(
                  Long.toString(id), candidateMembers.get(i), existing.contains(id) ? "0" : "1"));
        }
      }
      if (!args.isEmpty()) {
        LeaderboardScores.PRUNE.eval(redis, List.of(live, members), args);
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
