package io.skillquest.worker;

import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.events.Outbox;
import io.skillquest.worker.BadgeBackfillDao.Pending;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retroactive badges: a badge created, or whose condition changed (revision bumped), is awarded to
 * every user who already satisfies it, not only on their next attempt.
 *
 * <p>Users are visited in id order, one short transaction per chunk. Each chunk re-locks the badge
 * row with FOR NO KEY UPDATE SKIP LOCKED (no key lock, so awards inserting this badge are not
 * blocked, and an admin editing the badge waits for one chunk at most); when the revision moved
 * under us the pass starts over with the new condition. A session advisory lock keeps two workers
 * from walking the same badge. The badge is marked done (backfilled_revision = revision) in the
 * transaction that finds no more users. Each chunk writes a badge.awarded event per user it gave
 * the badge to, in its own transaction, as its last statements.
 */
final class BadgeBackfill {

  private static final Logger log = LoggerFactory.getLogger(BadgeBackfill.class);
  private static final int CHUNK = 1_000;

  private final Jdbi jdbi;
  private final BadgeConditions conditions;
  private final FreezeRule freezeRule;
  private final boolean events;

  BadgeBackfill(Jdbi jdbi, BadgeConditions conditions) {
    this(jdbi, conditions, FreezeRule.DEFAULT);
  }

  BadgeBackfill(Jdbi jdbi, BadgeConditions conditions, FreezeRule freezeRule) {
    this(jdbi, conditions, freezeRule, true);
  }

  /**
   * @param events whether each chunk writes badge.awarded events to the outbox
   */
  BadgeBackfill(Jdbi jdbi, BadgeConditions conditions, FreezeRule freezeRule, boolean events) {
    this.events = events;
    this.jdbi = jdbi;
    this.conditions = conditions;
    this.freezeRule = freezeRule;
  }

  /** Where a pass stands: the last user visited under a given revision. */
  private record Cursor(int revision, long afterUserId, int awarded, boolean done) {}

  /**
   * @return badges this pass finished
   */
  int backfill(BooleanSupplier running) {
    List<Long> pending = jdbi.withHandle(BadgeBackfillDao::pendingIds);
    int finished = 0;
    for (long badgeId : pending) {
      if (!running.getAsBoolean()) {
        break;
      }
      if (backfill(badgeId, running)) {
        finished++;
      }
    }
    return finished;
  }

  private boolean backfill(long badgeId, BooleanSupplier running) {
    try (Handle h = jdbi.open()) {
      String key = "skillquest:badge-backfill:" + badgeId;
      if (!BadgeBackfillDao.tryLock(h, key)) {
        return false;
      }
      try {
        var cursor = new Cursor(-1, 0, 0, false);
        while (running.getAsBoolean()) {
          var at = cursor;
          Optional<Cursor> next = h.inTransaction(tx -> chunk(tx, badgeId, at));
          if (next.isEmpty()) {
            return false;
          }
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
        BadgeBackfillDao.unlock(h, key);
      }
    }
  }

  /**
   * Empty when the badge is done already or an admin is editing it right now (next pass retries).
   */
  private Optional<Cursor> chunk(Handle tx, long badgeId, Cursor at) {
    Optional<Pending> pending = BadgeBackfillDao.lockPending(tx, badgeId);
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    int revision = pending.get().revision();
    // a changed condition means earlier chunks were judged by the old one: start over
    var cursor = revision == at.revision() ? at : new Cursor(revision, 0, 0, false);
    Optional<Condition> condition =
        conditions.condition(badgeId, revision, pending.get().condition());

    List<BadgeFacts.Subject> users =
        condition.isEmpty()
            ? List.of()
            : BadgeBackfillDao.usersWithout(tx, badgeId, cursor.afterUserId(), CHUNK);
    if (users.isEmpty()) {
      BadgeBackfillDao.markDone(tx, badgeId, revision);
      return Optional.of(new Cursor(revision, cursor.afterUserId(), cursor.awarded(), true));
    }

    var facts = BadgeFacts.read(tx, users, freezeRule);
    var winners = new ArrayList<Long>();
    for (var u : users) {
      if (BadgeEvaluator.satisfied(condition.get(), facts.get(u.userId()))) {
        winners.add(u.userId());
      }
    }
    int awarded = 0;
    if (!winners.isEmpty()) {
      // the winners' rows first, as an award holds its owners' from its first statement: a lone
      // award takes the outbox lock before inserting its badges, and a backfill inserting the same
      // badge, then waiting for that lock, would deadlock with it
      BadgeBackfillDao.lockUsers(tx, winners);
      var given = BadgeBackfillDao.award(tx, badgeId, winners);
      awarded = given.size();
      if (events) {
        Outbox.write(
            tx,
            List.of(),
            List.of(),
            given.stream().map(u -> new Outbox.BadgeAwarded(u, badgeId)).toList());
      }
    }
    long last = users.get(users.size() - 1).userId();
    return Optional.of(new Cursor(revision, last, cursor.awarded() + awarded, false));
  }
}
