package io.skillquest.worker;

import io.skillquest.store.SqlArray;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The statements of {@link BadgeBackfill}; each runs on the caller's handle, so a chunk's
 * statements share its transaction and the advisory lock stays with the session that took it.
 */
final class BadgeBackfillDao {

  /** A badge not yet backfilled at its current revision, with its stored condition JSON. */
  record Pending(int revision, String condition) {}

  private static final String PENDING_IDS =
      "SELECT id FROM badges WHERE backfilled_revision < revision ORDER BY id";

  /** A session lock, so two workers never walk the same badge; held across the chunks. */
  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended(:key, 0))";

  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(:key, 0))";

  /**
   * SKIP LOCKED, so an admin editing the badge right now is not waited for (the next pass retries),
   * and NO KEY UPDATE, so awards inserting this badge are not blocked; an admin's edit waits for
   * one chunk at most.
   */
  private static final String LOCK_PENDING =
      """
      SELECT revision, condition::text AS condition FROM badges
      WHERE id = :id AND backfilled_revision < revision
      FOR NO KEY UPDATE SKIP LOCKED""";

  /** In id order, the order the pass's cursor walks in. */
  private static final String USERS_WITHOUT =
      """
      SELECT u.id, u.total_xp FROM users u
      WHERE u.id > :after
        AND NOT EXISTS (SELECT 1 FROM user_badges ub WHERE ub.user_id = u.id AND ub.badge_id = :badge)
      ORDER BY u.id LIMIT :limit""";

  private static final String MARK_DONE =
      "UPDATE badges SET backfilled_revision = :revision WHERE id = :id";

  private static final String LOCK_USERS =
      "SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE";

  private static final String AWARD =
      """
      INSERT INTO user_badges (user_id, badge_id)
      SELECT u, :badge FROM unnest(:users) AS u
      ON CONFLICT DO NOTHING
      RETURNING user_id""";

  private static final RowMapper<Pending> PENDING =
      (rs, ctx) -> new Pending(rs.getInt("revision"), rs.getString("condition"));

  private static final RowMapper<BadgeFacts.Subject> SUBJECT =
      (rs, ctx) -> new BadgeFacts.Subject(rs.getLong("id"), rs.getLong("total_xp"));

  private BadgeBackfillDao() {}

  /** Badges whose current revision is not backfilled yet, by id. */
  static List<Long> pendingIds(Handle h) {
    return h.createQuery(PENDING_IDS).mapTo(Long.class).list();
  }

  /** Whether this session now holds the lock named {@code key}. */
  static boolean tryLock(Handle h, String key) {
    return h.createQuery(TRY_LOCK).bind("key", key).mapTo(Boolean.class).one();
  }

  static void unlock(Handle h, String key) {
    h.createQuery(UNLOCK).bind("key", key).mapTo(Boolean.class).one();
  }

  /**
   * Locks the badge until the transaction ends; empty when it is backfilled already or an admin
   * holds it.
   */
  static Optional<Pending> lockPending(Handle tx, long badgeId) {
    return tx.createQuery(LOCK_PENDING).bind("id", badgeId).map(PENDING).findOne();
  }

  /** Up to {@code limit} users after {@code afterUserId} who do not hold the badge. */
  static List<BadgeFacts.Subject> usersWithout(
      Handle tx, long badgeId, long afterUserId, int limit) {
    return tx.createQuery(USERS_WITHOUT)
        .bind("after", afterUserId)
        .bind("badge", badgeId)
        .bind("limit", limit)
        .map(SUBJECT)
        .list();
  }

  /** Marks the badge backfilled at {@code revision}. */
  static void markDone(Handle tx, long badgeId, int revision) {
    tx.createUpdate(MARK_DONE).bind("revision", revision).bind("id", badgeId).execute();
  }

  /**
   * Gives the badge to {@code users} (ascending ids, the order awards insert in too, so the two
   * cannot deadlock); users holding it already are skipped.
   *
   * @return the users given it, ascending
   */
  /** Locks the users' rows in id order, the order awards lock their owners in. */
  static void lockUsers(Handle tx, List<Long> users) {
    tx.createQuery(LOCK_USERS).bind("ids", SqlArray.bigints(users)).mapTo(Long.class).list();
  }

  static List<Long> award(Handle tx, long badgeId, List<Long> users) {
    return tx
        .createQuery(AWARD)
        .bind("badge", badgeId)
        .bind("users", SqlArray.bigints(users))
        .mapTo(Long.class)
        .stream()
        .sorted()
        .toList();
  }
}
