package io.skillquest.store.events;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes events inside the transaction whose effects they describe, so they commit or roll back
 * with it. Call {@link #write} once per transaction, as its last statements.
 *
 * <p>Ids must become visible in id order, or a reader paging with "after the last id I saw" would
 * skip an event that took a smaller id but committed later. So every writer first takes one
 * transaction-scoped advisory lock and holds it to commit; PostgreSQL releases it only after the
 * commit is visible, so the next writer's ids are all larger than anything a reader could still be
 * missing. It serialises only the event inserts and the commit of event-writing transactions, which
 * the commit-time NOTIFY serialises anyway.
 *
 * <p>After the inserts, one {@code NOTIFY skillquest_events} whose payload is the largest event id
 * this transaction wrote, delivered to listeners when (and only if) it commits. The outbox is the
 * truth; the notification only wakes readers up, and a listener that missed one catches up by
 * reading after its last id.
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

  /** A user got a badge; its name and award time are read from the committed-to-be rows. */
  public record BadgeAwarded(long userId, long badgeId) {}

  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtextextended('skillquest:events', 0))";

  private static final String PROCESSED =
      """
      INSERT INTO events (type, user_id, data)
      SELECT 'attempt.processed', v.user_id,
             jsonb_build_object('attempt_id', v.attempt_id, 'user_id', v.user_id,
                                'challenge_id', v.challenge_id, 'score', v.score, 'status', v.status,
                                'xp_awarded', v.xp, 'total_xp', v.total_xp, 'level', v.level)
      FROM unnest(:attempts, :users, :challenges, :scores, :statuses, :xps, :totals, :levels)
           WITH ORDINALITY AS v(attempt_id, user_id, challenge_id, score, status, xp, total_xp, level, n)
      ORDER BY v.n""";

  private static final String LEVELS =
      """
      INSERT INTO events (type, user_id, data)
      SELECT 'level.reached', v.user_id,
             jsonb_build_object('user_id', v.user_id, 'level', v.level, 'total_xp', v.total_xp)
      FROM unnest(:users, :levels, :totals) WITH ORDINALITY AS v(user_id, level, total_xp, n)
      ORDER BY v.n""";

  /** Name and award time from the rows themselves, so the event says what was stored. */
  private static final String BADGES =
      """
      INSERT INTO events (type, user_id, data)
      SELECT 'badge.awarded', ub.user_id,
             jsonb_build_object('user_id', ub.user_id, 'badge_id', ub.badge_id, 'name', b.name,
                                'awarded_at', to_char(ub.awarded_at AT TIME ZONE 'UTC',
                                                      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
      FROM unnest(:users, :badges) WITH ORDINALITY AS v(user_id, badge_id, n)
      JOIN user_badges ub ON ub.user_id = v.user_id AND ub.badge_id = v.badge_id
      JOIN badges b ON b.id = ub.badge_id
      ORDER BY v.n""";

  /** currval: the last id this session drew, the largest this transaction wrote. */
  private static final String NOTIFY =
      "SELECT pg_notify('" + CHANNEL + "', currval(pg_get_serial_sequence('events', 'id'))::text)";

  private Outbox() {}

  /**
   * Writes the events, in the order: every attempt processed, every level reached, every badge
   * awarded, each list in its own order; one statement per non-empty list, plus the lock and the
   * notification. Nothing at all when every list is empty.
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
    h.execute(LOCK);
    int written = 0;
    if (!processed.isEmpty()) {
      written +=
          h.createUpdate(PROCESSED)
              .bindArray(
                  "attempts", Long.class, processed.stream().map(Processed::attemptId).toList())
              .bindArray("users", Long.class, processed.stream().map(Processed::userId).toList())
              .bindArray(
                  "challenges", Long.class, processed.stream().map(Processed::challengeId).toList())
              .bindArray("scores", Integer.class, processed.stream().map(Processed::score).toList())
              .bindArray(
                  "statuses", String.class, processed.stream().map(Processed::status).toList())
              .bindArray(
                  "xps", Integer.class, processed.stream().map(Processed::xpAwarded).toList())
              .bindArray("totals", Long.class, processed.stream().map(Processed::totalXp).toList())
              .bindArray("levels", Integer.class, processed.stream().map(Processed::level).toList())
              .execute();
    }
    if (!levels.isEmpty()) {
      written +=
          h.createUpdate(LEVELS)
              .bindArray("users", Long.class, levels.stream().map(LevelReached::userId).toList())
              .bindArray("levels", Integer.class, levels.stream().map(LevelReached::level).toList())
              .bindArray("totals", Long.class, levels.stream().map(LevelReached::totalXp).toList())
              .execute();
    }
    if (!badges.isEmpty()) {
      written +=
          h.createUpdate(BADGES)
              .bindArray("users", Long.class, badges.stream().map(BadgeAwarded::userId).toList())
              .bindArray("badges", Long.class, badges.stream().map(BadgeAwarded::badgeId).toList())
              .execute();
    }
    if (written > 0) {
      h.execute(NOTIFY);
    }
    return written;
  }
}
