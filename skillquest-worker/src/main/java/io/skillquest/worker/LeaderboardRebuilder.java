package io.skillquest.worker;

import io.skillquest.core.queue.Keys;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.ZParams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rebuilds the leaderboard sorted set from PostgreSQL (the source of truth) when Redis lost it or it
 * drifted.
 *
 * <p>Users are read in id order, a page at a time (no connection is held while Redis is written), into
 * a temporary key; then {@code ZUNIONSTORE live 2 live tmp AGGREGATE MAX} merges it in one atomic step.
 * Because the merge keeps the higher score, a concurrent award's ZADD GT is never lost, whichever
 * side of the merge it lands on. Members the database no longer has are removed afterwards. A Redis
 * lock (SET NX PX, renewed per page) keeps several processes from rebuilding at once.
 */
public final class LeaderboardRebuilder {

    private static final Logger log = LoggerFactory.getLogger(LeaderboardRebuilder.class);
    private static final int PAGE = 10_000;
    private static final int ZADD_CHUNK = 1_000;
    private static final Duration LOCK_TTL = Duration.ofSeconds(60);
    private static final Duration WAIT_FOR_OTHERS = Duration.ofMinutes(5);
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    private final Jdbi jdbi;
    private final JedisPooled redis;
    private final Keys keys;

    public LeaderboardRebuilder(Jdbi jdbi, JedisPooled redis, Keys keys) {
        this.jdbi = jdbi;
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * Rebuilds the sorted set if it is missing (Redis restarted empty). If another process is rebuilding,
     * waits for it to finish instead.
     *
     * @return true if this call rebuilt it
     */
    public boolean ensurePresent() {
        if (redis.exists(keys.leaderboard())) return false;
        if (jdbi.withExtension(UserStandings.class, UserStandings::count) == 0) return false;
        String token = tryLock();
        if (token == null) {
            awaitUnlocked();
            return false;
        }
        try {
            if (redis.exists(keys.leaderboard())) return false;
            copyFromDatabase(token);
            return true;
        } finally {
            unlock(token);
        }
    }

    /** Rebuilds unconditionally (the operator command), waiting first for any rebuild in progress. */
    public void rebuild() {
        long deadline = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
        String token;
        while ((token = tryLock()) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another leaderboard rebuild holds " + keys.leaderboardLock());
            }
            sleep(100);
        }
        try {
            copyFromDatabase(token);
        } finally {
            unlock(token);
        }
    }

    /**
     * Rebuilds when the sorted set's size disagrees with the number of users (members lost, or left
     * over from deleted users). A mismatch is confirmed once more after a moment, because a registration
     * commits in PostgreSQL just before its ZADD. Skips when another process is rebuilding.
     *
     * @return true if it rebuilt
     */
    public boolean rebuildIfStale() {
        if (!sizesDiffer()) return false;
        sleep(500);
        if (!sizesDiffer()) return false;
        String token = tryLock();
        if (token == null) return false;
        try {
            log.info("leaderboard holds {} members for {} users; rebuilding", redis.zcard(keys.leaderboard()),
                    jdbi.withExtension(UserStandings.class, UserStandings::count));
            copyFromDatabase(token);
            return true;
        } finally {
            unlock(token);
        }
    }

    /**
     * Republishes (ZADD GT) every user whose XP changed since {@code since}. This heals scores whose write
     * was lost after the award committed (a worker killed between commit and ZADD, a Redis blip).
     *
     * @return users republished
     */
    public int republishChangedSince(Instant since) {
        int written = 0;
        long after = 0;
        while (true) {
            long from = after;
            var page = jdbi.withExtension(UserStandings.class, d -> d.changedSince(since, from, PAGE));
            if (page.isEmpty()) return written;
            LeaderboardScores.raise(redis, keys,
                    page.stream().map(s -> new LeaderboardScores.Standing(s.id(), s.totalXp(), s.xpReachedAt())).toList());
            written += page.size();
            after = page.get(page.size() - 1).id();
        }
    }

    private boolean sizesDiffer() {
        long members = redis.zcard(keys.leaderboard());
        long users = jdbi.withExtension(UserStandings.class, UserStandings::count);
        return members != users;
    }

    private void copyFromDatabase(String token) {
        long started = System.nanoTime();
        String live = keys.leaderboard();
        String tmp = live + ":rebuild:" + token;
        long after = 0;
        long users = 0;
        try {
            while (true) {
                long from = after;
                var page = jdbi.withExtension(UserStandings.class, d -> d.page(from, PAGE));
                if (page.isEmpty()) break;
                var replies = new ArrayList<Response<?>>();
                try (var pipeline = redis.pipelined()) {
                    Map<String, Double> chunk = new HashMap<>();
                    for (var s : page) {
                        chunk.put(Long.toString(s.id()), LeaderboardScores.score(s.totalXp(), s.xpReachedAt()));
                        if (chunk.size() == ZADD_CHUNK) {
                            replies.add(pipeline.zadd(tmp, chunk));
                            chunk = new HashMap<>();
                        }
                    }
                    if (!chunk.isEmpty()) replies.add(pipeline.zadd(tmp, chunk));
                    // a crashed rebuild must not leave its copy behind for ever
                    replies.add(pipeline.pexpire(tmp, Duration.ofMinutes(10).toMillis()));
                    replies.add(pipeline.eval(RENEW, List.of(keys.leaderboardLock()), List.of(token, Long.toString(LOCK_TTL.toMillis()))));
                    pipeline.sync();
                }
                // error replies (OOM, READONLY) stay in the responses after sync(); a partial copy must not be merged
                replies.forEach(Response::get);
                users += page.size();
                after = page.get(page.size() - 1).id();
            }
            if (users == 0) {
                redis.del(live);
                return;
            }
            redis.zunionstore(live, new ZParams().aggregate(ZParams.Aggregate.MAX), live, tmp);
            removeDeletedUsers(live, tmp);
        } finally {
            redis.del(tmp);
        }
        log.info("leaderboard rebuilt from the database: {} users in {} ms", users,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Members in live but not in the fresh copy are users registered during the rebuild, or users the
     * database no longer has (or junk). The database tells which.
     */
    private void removeDeletedUsers(String live, String tmp) {
        List<String> gone = new ArrayList<>();
        List<Long> candidates = new ArrayList<>();
        for (String member : redis.zdiff(live, tmp)) {
            try {
                candidates.add(Long.parseLong(member));
            } catch (NumberFormatException e) {
                gone.add(member);
            }
        }
        for (int from = 0; from < candidates.size(); from += PAGE) {
            var chunk = candidates.subList(from, Math.min(candidates.size(), from + PAGE));
            var existing = new java.util.HashSet<>(jdbi.withHandle(h -> h.createQuery(
                            "SELECT id FROM users WHERE id = ANY(:ids)")
                    .bindArray("ids", Long.class, chunk).mapTo(Long.class).list()));
            for (long id : chunk) {
                if (!existing.contains(id)) gone.add(Long.toString(id));
            }
        }
        if (!gone.isEmpty()) redis.zrem(live, gone.toArray(String[]::new));
    }

    private String tryLock() {
        String token = UUID.randomUUID().toString();
        String ok = redis.set(keys.leaderboardLock(), token, SetParams.setParams().nx().px(LOCK_TTL.toMillis()));
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
