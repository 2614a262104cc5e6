package io.skillquest.store.events;

import io.skillquest.store.RoundTrip;
import io.skillquest.store.SqlArray;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Writes events inside the transaction whose effects they describe, so they commit or roll back
 * with it: {@link #write} at the end of the transaction, or {@link #LOCK} and {@link #INSERT} sent
 * with the transaction's own statements ({@link RoundTrip}), as late as they can go.
 *
 * <p>Ids must become visible in id order, or a reader paging with "after the last id I saw" would
 * skip an event that took a smaller id but committed later. So every writer first takes one
 * transaction-scoped advisory lock and holds it to commit; PostgreSQL releases it only after the
 * commit is visible, so the next writer's ids are all larger than anything a reader could still be
 * missing. It serialises only the event inserts and the commit of event-writing transactions, which
 * the commit-time NOTIFY serialises anyway.
 *
 * <p>Each insert ends with a {@code NOTIFY skillquest_events} whose payload is the largest event id
 * written so far, delivered to listeners when (and only if) the transaction commits; listeners take
 * the largest payload of those that arrive together. The outbox is the truth; the notification only
 * wakes readers up, and a listener that missed one catches up by reading after its last id.
 */
public final class Outbox {

  /** The LISTEN channel; the payload is the largest event id the committed transaction wrote. */
  public static final String CHANNEL = "skillquest_events";

  /** An attempt moved from submitted to passed or failed, with its owner's standing after it. */
  public record Processed(
      long attemptId,
      long userId,
      long challengeId,
      int score,
      String status,
      int xpAwarded,
      long totalXp,
      int level) {}

  /** A user's level rose to {@code level} with {@code totalXp}. */
  public record LevelReached(long userId, int level, long totalXp) {}

  /**
   * A user got a badge; its name and award time are read from the committed-to-be rows.
   *
   * @param attemptId the attempt whose award inserted the row: only a row that attempt inserted
   *     makes an event (an award that found the badge already given writes none); null for a row
   *     the caller knows it inserted
   */
  public record BadgeAwarded(long userId, long badgeId, Long attemptId) {

    public BadgeAwarded(long userId, long badgeId) {
      this(userId, badgeId, null);
    }
  }

  /** The outbox lock: a writer takes it before its first event and holds it to its commit. */
  public static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtextextended('skillquest:events', 0))";

  /**
   * Every event in one insert (attempts processed, then levels reached, then badges awarded, each
   * list in its own order, so ids follow that order), then one notification carrying the largest
   * id, sent only if something was written. Binds the lists with {@link #bind}, under names no
   * other statement uses, so it can travel in one {@link RoundTrip} with others; its answer is read
   * with {@link #written}. Must follow {@link #LOCK} in the same transaction.
   */
  public static final String INSERT =
      """
      WITH written AS (
        INSERT INTO events (type, user_id, data)
        SELECT e.type, e.user_id, e.data FROM (
          SELECT 1 AS list, v.n, 'attempt.processed' AS type, v.user_id,
                 jsonb_build_object('attempt_id', v.attempt_id, 'user_id', v.user_id,
                                    'challenge_id', v.challenge_id, 'score', v.score, 'status', v.status,
                                    'xp_awarded', v.xp, 'total_xp', v.total_xp, 'level', v.level) AS data
          FROM unnest(:processed_attempts, :processed_users, :processed_challenges, :processed_scores,
                      :processed_statuses, :processed_xps, :processed_totals, :processed_levels)
               WITH ORDINALITY AS v(attempt_id, user_id, challenge_id, score, status, xp, total_xp, level, n)
          UNION ALL
          SELECT 2, v.n, 'level.reached', v.user_id,
                 jsonb_build_object('user_id', v.user_id, 'level', v.level, 'total_xp', v.total_xp)
          FROM unnest(:level_users, :level_levels, :level_totals)
               WITH ORDINALITY AS v(user_id, level, total_xp, n)
          UNION ALL
          -- name and award time from the rows themselves, so the event says what was stored
          SELECT 3, v.n, 'badge.awarded', ub.user_id,
                 jsonb_build_object('user_id', ub.user_id, 'badge_id', ub.badge_id, 'name', b.name,
                                    'awarded_at', to_char(ub.awarded_at AT TIME ZONE 'UTC',
                                                          'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
          FROM unnest(:badge_users, :badge_ids, :badge_attempts) WITH ORDINALITY
               AS v(user_id, badge_id, attempt_id, n)
          JOIN user_badges ub ON ub.user_id = v.user_id AND ub.badge_id = v.badge_id
               AND (v.attempt_id IS NULL OR ub.attempt_id = v.attempt_id)
          JOIN badges b ON b.id = ub.badge_id) e
        ORDER BY e.list, e.n
        RETURNING id)
      SELECT count(*) AS written, pg_notify('%s', max(id)::text) FROM written HAVING count(*) > 0"""
          .formatted(CHANNEL);

  private Outbox() {}

  /**
   * Writes the events, in the order: every attempt processed, every level reached, every badge
   * awarded, each list in its own order, in one round trip with the lock. Nothing at all when every
   * list is empty.
   *
   * @param h the handle whose transaction made the effects; must be in a transaction
   * @return how many events were written
   */
  public static int write(
      Handle h, List<Processed> processed, List<LevelReached> levels, List<BadgeAwarded> badges) {
    if (processed.isEmpty() && levels.isEmpty() && badges.isEmpty()) {
      return 0;
    }
    if (!h.isInTransaction()) {
      throw new IllegalStateException("events are written inside the transaction of their effects");
    }
    return RoundTrip.run(
        bind(h.createQuery(LOCK + ";\n" + INSERT), processed, levels, badges),
        results -> {
          results.skip();
          return written(results);
        });
  }

  /** Binds {@link #INSERT}'s lists. */
  public static <S extends SqlStatement<S>> S bind(
      S statement,
      List<Processed> processed,
      List<LevelReached> levels,
      List<BadgeAwarded> badges) {
    return statement
        .bind("processed_attempts", SqlArray.bigints(processed, Processed::attemptId))
        .bind("processed_users", SqlArray.bigints(processed, Processed::userId))
        .bind("processed_challenges", SqlArray.bigints(processed, Processed::challengeId))
        .bind("processed_scores", SqlArray.integers(processed, Processed::score))
        .bind("processed_statuses", SqlArray.varchars(processed, Processed::status))
        .bind("processed_xps", SqlArray.integers(processed, Processed::xpAwarded))
        .bind("processed_totals", SqlArray.bigints(processed, Processed::totalXp))
        .bind("processed_levels", SqlArray.integers(processed, Processed::level))
        .bind("level_users", SqlArray.bigints(levels, LevelReached::userId))
        .bind("level_levels", SqlArray.integers(levels, LevelReached::level))
        .bind("level_totals", SqlArray.bigints(levels, LevelReached::totalXp))
        .bind("badge_users", SqlArray.bigints(badges, BadgeAwarded::userId))
        .bind("badge_ids", SqlArray.bigints(badges, BadgeAwarded::badgeId))
        .bind("badge_attempts", SqlArray.bigints(badges, BadgeAwarded::attemptId));
  }

  /** Reads {@link #INSERT}'s answer, the next in {@code results}: how many events it wrote. */
  public static int written(RoundTrip.Results results) throws SQLException {
    return results.list((rs, ctx) -> rs.getInt("written")).stream().findFirst().orElse(0);
  }
}
