package io.skillquest.worker;

import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.queue.Keys;
import io.skillquest.core.xp.Level;
import io.skillquest.core.xp.XpRule;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one submitted attempt into XP, a level, badges and a leaderboard score (SPEC 5).
 *
 * <p>One database transaction per attempt: lock the attempt (only a 'submitted' one moves, exactly
 * once), lock its owner, pay {@code max(0, xpFor(score) - already paid for this challenge)}, then read
 * the badge facts in a fixed number of queries and insert earned badges under their primary key.
 * Redelivered tasks and concurrent workers therefore change nothing twice. The leaderboard is written
 * after the commit, never with a connection held, and only upwards (ZADD GT).
 */
public final class AwardProcessor {

    private static final Logger log = LoggerFactory.getLogger(AwardProcessor.class);

    private final Jdbi jdbi;
    private final JedisPooled redis;
    private final Keys keys;
    private final BadgeCatalogue catalogue;
    private final WorkerMetrics metrics;
    private final OutageBackoff leaderboardWrites = new OutageBackoff("Redis (leaderboard writes)", log);

    AwardProcessor(Jdbi jdbi, JedisPooled redis, Keys keys, BadgeCatalogue catalogue, WorkerMetrics metrics) {
        this.jdbi = jdbi;
        this.redis = redis;
        this.keys = keys;
        this.catalogue = catalogue;
        this.metrics = metrics;
    }

    private record Attempt(long userId, long challengeId, String status, int score, Instant submittedAt,
                           int challengeXp, int passScore) {
    }

    private record Owner(long totalXp, Instant xpReachedAt, ZoneId zone) {
    }

    private record Committed(AwardOutcome outcome, Instant submittedAt, Instant xpReachedAt) {
    }

    /**
     * Processes the attempt if it is still 'submitted'.
     *
     * @throws org.jdbi.v3.core.JdbiException when PostgreSQL fails; nothing was committed, so retrying is safe
     */
    public AwardOutcome process(long attemptId) {
        Committed c = jdbi.inTransaction(h -> award(h, attemptId));
        var outcome = c.outcome();
        switch (outcome.result()) {
            case PROCESSED -> {
                metrics.processed(Duration.between(c.submittedAt(), Instant.now()));
                publish(outcome.userId(), outcome.totalXp(), c.xpReachedAt());
            }
            case ALREADY_PROCESSED -> metrics.alreadyProcessed();
            default -> {
            }
        }
        return outcome;
    }

    private Committed award(Handle h, long attemptId) {
        // SKIP LOCKED: if another worker holds the attempt it is mid-award; waiting would only find it done
        Optional<Attempt> locked = h.createQuery("""
                        SELECT a.user_id, a.challenge_id, a.status, coalesce(a.score, 0) AS score, a.submitted_at,
                               c.xp AS challenge_xp, c.pass_score
                        FROM attempts a JOIN challenges c ON c.id = a.challenge_id
                        WHERE a.id = :id
                        FOR UPDATE OF a SKIP LOCKED""")
                .bind("id", attemptId)
                .map((rs, ctx) -> new Attempt(rs.getLong("user_id"), rs.getLong("challenge_id"), rs.getString("status"),
                        rs.getInt("score"), ts(rs.getObject("submitted_at", java.time.OffsetDateTime.class)),
                        rs.getInt("challenge_xp"), rs.getInt("pass_score")))
                .findOne();
        if (locked.isEmpty()) {
            boolean exists = h.createQuery("SELECT EXISTS (SELECT 1 FROM attempts WHERE id = :id)")
                    .bind("id", attemptId).mapTo(Boolean.class).one();
            return skipped(exists ? AwardOutcome.Result.BUSY : AwardOutcome.Result.UNKNOWN_ATTEMPT);
        }
        Attempt a = locked.get();
        switch (a.status()) {
            case "passed", "failed" -> {
                return skipped(AwardOutcome.Result.ALREADY_PROCESSED);
            }
            case "started" -> {
                return skipped(AwardOutcome.Result.NOT_SUBMITTED);
            }
            default -> {
                // 'submitted': ours to process
            }
        }

        // the owner's row lock serialises this user's awards, so the sum below cannot race another award; NO KEY
        // UPDATE, because plain FOR UPDATE would also block inserts that merely reference the user (logins, badges)
        Owner owner = h.createQuery("SELECT total_xp, xp_reached_at, time_zone FROM users WHERE id = :id FOR NO KEY UPDATE")
                .bind("id", a.userId())
                .map((rs, ctx) -> new Owner(rs.getLong("total_xp"),
                        ts(rs.getObject("xp_reached_at", java.time.OffsetDateTime.class)),
                        BadgeFacts.zoneOf(rs.getString("time_zone"))))
                .one();
        long alreadyPaid = h.createQuery("""
                        SELECT coalesce(sum(xp_awarded), 0) FROM attempts
                        WHERE user_id = :user AND challenge_id = :challenge AND status IN ('passed', 'failed')""")
                .bind("user", a.userId()).bind("challenge", a.challengeId())
                .mapTo(Long.class).one();
        int xp = XpRule.award(a.challengeXp(), a.score(), (int) Math.min(Integer.MAX_VALUE, alreadyPaid));
        boolean passed = XpRule.passed(a.score(), a.passScore());

        int moved = h.createUpdate("""
                        UPDATE attempts SET status = :status, xp_awarded = :xp, processed_at = now()
                        WHERE id = :id AND status = 'submitted'""")
                .bind("status", passed ? "passed" : "failed").bind("xp", xp).bind("id", attemptId)
                .execute();
        if (moved != 1) throw new IllegalStateException("attempt " + attemptId + " changed while locked");

        long totalXp = owner.totalXp();
        Instant reachedAt = owner.xpReachedAt();
        if (xp > 0) {
            long newTotal = totalXp + xp;
            var row = h.createQuery("""
                            UPDATE users SET total_xp = total_xp + :xp, level = :level, xp_reached_at = now()
                            WHERE id = :id RETURNING total_xp, xp_reached_at""")
                    .bind("xp", xp).bind("level", Level.levelFor(newTotal)).bind("id", a.userId())
                    .map((rs, ctx) -> Map.entry(rs.getLong("total_xp"),
                            ts(rs.getObject("xp_reached_at", java.time.OffsetDateTime.class))))
                    .one();
            totalXp = row.getKey();
            reachedAt = row.getValue();
        }

        List<Long> badges = awardBadges(h, a.userId(), totalXp, owner.zone(), attemptId);
        return new Committed(new AwardOutcome(AwardOutcome.Result.PROCESSED, a.userId(), xp, totalXp, badges),
                a.submittedAt(), reachedAt);
    }

    /**
     * Catalogue version and earned badges, one facts query, one insert: three statements for 1 badge or 10,000,
     * plus a catalogue reload only after an admin changed a badge.
     */
    private List<Long> awardBadges(Handle h, long userId, long totalXp, ZoneId zone, long attemptId) {
        var state = h.createQuery("""
                        SELECT (SELECT version FROM badge_catalogue) AS version,
                               ARRAY(SELECT badge_id FROM user_badges WHERE user_id = :user) AS earned""")
                .bind("user", userId)
                .map((rs, ctx) -> Map.entry(rs.getLong("version"), Set.of((Long[]) rs.getArray("earned").getArray())))
                .one();
        var revisions = new HashMap<Long, Integer>();
        var candidates = new HashMap<Long, Condition>();
        for (var badge : catalogue.at(h, state.getKey())) {
            if (!state.getValue().contains(badge.id())) {
                candidates.put(badge.id(), badge.condition());
                revisions.put(badge.id(), badge.revision());
            }
        }
        if (candidates.isEmpty()) return List.of();

        var facts = BadgeFacts.read(h, List.of(new BadgeFacts.Subject(userId, totalXp, zone))).get(userId);
        var earned = List.copyOf(BadgeEvaluator.earned(candidates, facts));
        if (earned.isEmpty()) return List.of();
        // joined on the revision that was evaluated: a condition changed meanwhile is left to the backfill pass
        return h.createQuery("""
                        INSERT INTO user_badges (user_id, badge_id, attempt_id)
                        SELECT :user, b.id, :attempt
                        FROM badges b JOIN unnest(:badges, :revisions) AS e(id, revision)
                             ON e.id = b.id AND e.revision = b.revision
                        ON CONFLICT DO NOTHING
                        RETURNING badge_id""")
                .bind("user", userId).bind("attempt", attemptId)
                .bindArray("badges", Long.class, earned)
                .bindArray("revisions", Integer.class, earned.stream().map(revisions::get).toList())
                .mapTo(Long.class).list();
    }

    private void publish(long userId, long totalXp, Instant reachedAt) {
        try {
            LeaderboardScores.raise(redis, keys, userId, totalXp, reachedAt);
            leaderboardWrites.succeeded();
        } catch (JedisException e) {
            // the award is committed; leaderboard upkeep republishes recently changed users
            metrics.failure("redis");
            leaderboardWrites.failed(e);
        }
    }

    private static Committed skipped(AwardOutcome.Result result) {
        return new Committed(AwardOutcome.of(result), Instant.now(), Instant.now());
    }

    private static Instant ts(java.time.OffsetDateTime t) {
        return t == null ? Instant.now() : t.toInstant();
    }
}
