package io.skillquest.worker;

import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retroactive badges (SPEC 3): a badge created, or whose condition changed (revision bumped), is
 * awarded to every user who already satisfies it, not only on their next attempt.
 *
 * <p>Users are visited in id order, one short transaction per chunk. Each chunk re-locks the badge
 * row with FOR NO KEY UPDATE SKIP LOCKED (no key lock, so awards inserting this badge are not
 * blocked, and an admin editing the badge waits for one chunk at most); when the revision moved
 * under us the pass starts over with the new condition. A session advisory lock keeps two workers
 * from walking the same badge. The badge is marked done (backfilled_revision = revision) in the
 * transaction that finds no more users.
 */
final class BadgeBackfill {

  private static final Logger log = LoggerFactory.getLogger(BadgeBackfill.class);
  private static final int CHUNK = 1_000;

  private final Jdbi jdbi;
  private final BadgeConditions conditions;

  BadgeBackfill(Jdbi jdbi, BadgeConditions conditions) {
    this.jdbi = jdbi;
    this.conditions = conditions;
  }

  private record Pending(int revision, String condition) {}

  /** Where a pass stands: the last user visited under a given revision. */
  private record Cursor(int revision, long afterUserId, int awarded, boolean done) {}

  /**
   * @return badges this pass finished
   */
  int backfill(BooleanSupplier running) {
    List<Long> pending =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT id FROM badges WHERE backfilled_revision < revision ORDER BY id")
                    .mapTo(Long.class)
                    .list());
    int finished = 0;
    for (long badgeId : pending) {
      if (!running.getAsBoolean()) break;
      if (backfill(badgeId, running)) finished++;
    }
    return finished;
  }

  private boolean backfill(long badgeId, BooleanSupplier running) {
    try (Handle h = jdbi.open()) {
      String key = "skillquest:badge-backfill:" + badgeId;
      boolean mine =
          h.createQuery("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))")
              .bind("key", key)
              .mapTo(Boolean.class)
              .one();
      if (!mine) return false;
      try {
        var cursor = new Cursor(-1, 0, 0, false);
        while (running.getAsBoolean()) {
          var at = cursor;
          Optional<Cursor> next = h.inTransaction(tx -> chunk(tx, badgeId, at));
          if (next.isEmpty()) return false;
          cursor = next.get();
          if (cursor.done()) {
            log.info(
                "badge {} revision {} backfilled: {} users awarded",
                badgeId,
                cursor.revision(),
                cursor.awarded());
            return true;
          }
        }
        return false;
      } finally {
        h.createQuery("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")
            .bind("key", key)
            .mapTo(Boolean.class)
            .one();
      }
    }
  }

  /**
   * Empty when the badge is done already or an admin is editing it right now (next pass retries).
   */
  private Optional<Cursor> chunk(Handle tx, long badgeId, Cursor at) {
    Optional<Pending> pending =
        tx.createQuery(
                """
                        SELECT revision, condition::text AS condition FROM badges
                        WHERE id = :id AND backfilled_revision < revision
                        FOR NO KEY UPDATE SKIP LOCKED""")
            .bind("id", badgeId)
            .map((rs, ctx) -> new Pending(rs.getInt("revision"), rs.getString("condition")))
            .findOne();
    if (pending.isEmpty()) return Optional.empty();
    int revision = pending.get().revision();
    // a changed condition means earlier chunks were judged by the old one: start over
    var cursor = revision == at.revision() ? at : new Cursor(revision, 0, 0, false);
    Optional<Condition> condition =
        conditions.condition(badgeId, revision, pending.get().condition());

    List<BadgeFacts.Subject> users =
        condition.isEmpty()
            ? List.of()
            : tx.createQuery(
                    """
                        SELECT u.id, u.total_xp, u.time_zone FROM users u
                        WHERE u.id > :after
                          AND NOT EXISTS (SELECT 1 FROM user_badges ub WHERE ub.user_id = u.id AND ub.badge_id = :badge)
                        ORDER BY u.id LIMIT :limit""")
                .bind("after", cursor.afterUserId())
                .bind("badge", badgeId)
                .bind("limit", CHUNK)
                .map(
                    (rs, ctx) ->
                        new BadgeFacts.Subject(
                            rs.getLong("id"),
                            rs.getLong("total_xp"),
                            BadgeFacts.zoneOf(rs.getString("time_zone"))))
                .list();
    if (users.isEmpty()) {
      tx.createUpdate("UPDATE badges SET backfilled_revision = :revision WHERE id = :id")
          .bind("revision", revision)
          .bind("id", badgeId)
          .execute();
      return Optional.of(new Cursor(revision, cursor.afterUserId(), cursor.awarded(), true));
    }

    var facts = BadgeFacts.read(tx, users);
    var winners = new ArrayList<Long>();
    for (var u : users) {
      if (BadgeEvaluator.satisfied(condition.get(), facts.get(u.userId()))) winners.add(u.userId());
    }
    int awarded = 0;
    if (!winners.isEmpty()) {
      awarded =
          tx.createUpdate(
                  """
                            INSERT INTO user_badges (user_id, badge_id)
                            SELECT u, :badge FROM unnest(:users) AS u
                            ON CONFLICT DO NOTHING""")
              .bind("badge", badgeId)
              .bindArray("users", Long.class, winners)
              .execute();
    }
    long last = users.get(users.size() - 1).userId();
    return Optional.of(new Cursor(revision, last, cursor.awarded() + awarded, false));
  }
}
