package io.skillquest.worker;

import io.skillquest.core.leaderboard.Standing;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Every statement of the award transaction. Each method runs on the caller's handle, inside the one
 * transaction {@link AwardProcessor} opens per batch, and each is one statement whatever the batch
 * size.
 */
final class AwardDao {

  /** An attempt as locked, with the challenge terms it is paid by. */
  record Attempt(
      long id,
      long userId,
      long challengeId,
      String status,
      int score,
      Instant submittedAt,
      int challengeXp,
      int passScore) {}

  /** An attempt's owner as locked, before this batch's gains. */
  record Owner(long id, long totalXp, Instant xpReachedAt, ZoneId zone) {}

  /** What was already paid to one user for one challenge. */
  record Paid(long userId, long challengeId) {}

  /** One user's already earned badges, read together with the catalogue version. */
  record Earned(long userId, long catalogueVersion, Set<Long> badgeIds) {}

  /** A badge the batch inserted. */
  record AwardedBadge(long userId, long badgeId) {}

  private record PaidSum(Paid pair, long paid) {}

  /**
   * SKIP LOCKED: an attempt another worker holds is mid-award; waiting would only find it done. NO
   * KEY UPDATE, because only status columns change and a badge row referencing the attempt must not
   * wait for us.
   */
  private static final String LOCK_ATTEMPTS =
      """
      SELECT a.id, a.user_id, a.challenge_id, a.status, coalesce(a.score, 0) AS score, a.submitted_at,
             c.xp AS challenge_xp, c.pass_score
      FROM attempts a JOIN challenges c ON c.id = a.challenge_id
      WHERE a.id = ANY(:ids)
      FOR NO KEY UPDATE OF a SKIP LOCKED""";

  private static final String EXISTING = "SELECT id FROM attempts WHERE id = ANY(:ids)";

  /**
   * The owners' row locks serialise each user's awards, so the sums of what was paid cannot race
   * another award. Taken in id order, so two batches sharing users queue instead of deadlocking. NO
   * KEY UPDATE, because plain FOR UPDATE would also block inserts that merely reference the user
   * (logins, badges).
   */
  private static final String LOCK_OWNERS =
      """
      SELECT id, total_xp, xp_reached_at, time_zone FROM users
      WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE""";

  private static final String ALREADY_PAID =
      """
      SELECT a.user_id, a.challenge_id, sum(a.xp_awarded) AS paid
      FROM unnest(:users, :challenges) AS p(user_id, challenge_id)
      JOIN attempts a ON a.user_id = p.user_id AND a.challenge_id = p.challenge_id
      WHERE a.status IN ('passed', 'failed')
      GROUP BY a.user_id, a.challenge_id""";

  /** Only 'submitted' attempts move, so an attempt is settled exactly once. */
  private static final String SETTLE =
      """
      UPDATE attempts a SET status = v.status, xp_awarded = v.xp, processed_at = now()
      FROM unnest(:ids, :statuses, :xps) AS v(id, status, xp)
      WHERE a.id = v.id AND a.status = 'submitted'""";

  /**
   * {@link #SETTLE} and the owners' gains in one statement, one round trip: both need only what the
   * locks already read, and the count of settled attempts rides on every returned row. The time
   * reached is this statement's, taken after the owners' locks: the transaction's start could be
   * older than a total another batch committed while we waited, and would move the owner's time
   * backwards.
   */
  private static final String SETTLE_AND_RAISE =
      """
      WITH settled AS (
        UPDATE attempts a SET status = v.status, xp_awarded = v.xp, processed_at = now()
        FROM unnest(:ids, :statuses, :xps) AS v(id, status, xp)
        WHERE a.id = v.id AND a.status = 'submitted'
        RETURNING a.id)
      UPDATE users u SET total_xp = u.total_xp + v.xp, level = v.level, xp_reached_at = statement_timestamp()
      FROM unnest(:users, :gains, :levels) AS v(id, xp, level)
      WHERE u.id = v.id
      RETURNING u.id, u.total_xp, u.xp_reached_at, (SELECT count(*) FROM settled) AS settled""";

  /** What {@link #settleAndRaise} did: attempts moved, and the raised owners' standings. */
  record Settled(int moved, List<Standing> standings) {}

  private static final String EARNED =
      """
      SELECT u.id, (SELECT version FROM badge_catalogue) AS version,
             ARRAY(SELECT badge_id FROM user_badges WHERE user_id = u.id) AS earned
      FROM unnest(:users) AS u(id)""";

  /**
   * Joined on the revision that was evaluated: a condition changed meanwhile is left to the
   * backfill pass. Inserted in (user, badge) order, the order the backfill inserts in too, so the
   * two cannot deadlock.
   */
  private static final String INSERT_BADGES =
      """
      INSERT INTO user_badges (user_id, badge_id, attempt_id)
      SELECT e.user_id, b.id, e.attempt_id
      FROM badges b JOIN unnest(:users, :badges, :revisions, :attempts) AS e(user_id, id, revision, attempt_id)
           ON e.id = b.id AND e.revision = b.revision
      ORDER BY e.user_id, b.id
      ON CONFLICT DO NOTHING
      RETURNING user_id, badge_id""";

  private static final RowMapper<Attempt> ATTEMPT =
      (rs, ctx) ->
          new Attempt(
              rs.getLong("id"),
              rs.getLong("user_id"),
              rs.getLong("challenge_id"),
              rs.getString("status"),
              rs.getInt("score"),
              ts(rs.getObject("submitted_at", OffsetDateTime.class)),
              rs.getInt("challenge_xp"),
              rs.getInt("pass_score"));

  private static final RowMapper<Owner> OWNER =
      (rs, ctx) ->
          new Owner(
              rs.getLong("id"),
              rs.getLong("total_xp"),
              ts(rs.getObject("xp_reached_at", OffsetDateTime.class)),
              BadgeFacts.zoneOf(rs.getString("time_zone")));

  private static final RowMapper<PaidSum> PAID_SUM =
      (rs, ctx) ->
          new PaidSum(
              new Paid(rs.getLong("user_id"), rs.getLong("challenge_id")), rs.getLong("paid"));

  private static final RowMapper<Standing> STANDING =
      (rs, ctx) ->
          new Standing(
              rs.getLong("id"),
              rs.getLong("total_xp"),
              ts(rs.getObject("xp_reached_at", OffsetDateTime.class)));

  private static final RowMapper<Earned> EARNED_ROW =
      (rs, ctx) ->
          new Earned(
              rs.getLong("id"),
              rs.getLong("version"),
              Set.of((Long[]) rs.getArray("earned").getArray()));

  private static final RowMapper<AwardedBadge> AWARDED =
      (rs, ctx) -> new AwardedBadge(rs.getLong("user_id"), rs.getLong("badge_id"));

  private AwardDao() {}

  /** The attempts no other transaction holds, locked until the award commits; by id. */
  static Map<Long, Attempt> lockAttempts(Handle h, List<Long> ids) {
    var locked = new HashMap<Long, Attempt>();
    h.createQuery(LOCK_ATTEMPTS)
        .bindArray("ids", Long.class, ids)
        .map(ATTEMPT)
        .forEach(a -> locked.put(a.id(), a));
    return locked;
  }

  /** Which of {@code ids} exist at all; no statement for none. */
  static Set<Long> existing(Handle h, List<Long> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        h.createQuery(EXISTING).bindArray("ids", Long.class, ids).mapTo(Long.class).list());
  }

  /** The distinct {@code userIds}, locked in id order; by id. */
  static Map<Long, Owner> lockOwners(Handle h, List<Long> userIds) {
    var owners = new HashMap<Long, Owner>();
    h.createQuery(LOCK_OWNERS)
        .bindArray("ids", Long.class, userIds)
        .map(OWNER)
        .forEach(o -> owners.put(o.id(), o));
    return owners;
  }

  /** XP already paid per (user, challenge) pair; pairs never paid are absent. */
  static Map<Paid, Long> alreadyPaid(Handle h, List<Paid> pairs) {
    var paid = new HashMap<Paid, Long>();
    h.createQuery(ALREADY_PAID)
        .bindArray("users", Long.class, pairs.stream().map(Paid::userId).toList())
        .bindArray("challenges", Long.class, pairs.stream().map(Paid::challengeId).toList())
        .map(PAID_SUM)
        .forEach(p -> paid.put(p.pair(), p.paid()));
    return paid;
  }

  /**
   * Moves the attempts from 'submitted' to their status with their XP.
   *
   * @return how many moved
   */
  static int settle(Handle h, List<Long> ids, List<String> statuses, List<Integer> xps) {
    return h.createUpdate(SETTLE)
        .bindArray("ids", Long.class, ids)
        .bindArray("statuses", String.class, statuses)
        .bindArray("xps", Integer.class, xps)
        .execute();
  }

  /**
   * {@link #settle}, then adds each user's gain and sets their level, in one round trip; {@code
   * users} must not be empty.
   */
  static Settled settleAndRaise(
      Handle h,
      List<Long> ids,
      List<String> statuses,
      List<Integer> xps,
      List<Long> users,
      List<Long> gains,
      List<Integer> levels) {
    int[] moved = {-1};
    var standings =
        h.createQuery(SETTLE_AND_RAISE)
            .bindArray("ids", Long.class, ids)
            .bindArray("statuses", String.class, statuses)
            .bindArray("xps", Integer.class, xps)
            .bindArray("users", Long.class, users)
            .bindArray("gains", Long.class, gains)
            .bindArray("levels", Integer.class, levels)
            .map(
                (rs, ctx) -> {
                  moved[0] = rs.getInt("settled");
                  return STANDING.map(rs, ctx);
                })
            .list();
    if (moved[0] < 0) {
      throw new IllegalStateException("owners " + users + " are gone while locked");
    }
    return new Settled(moved[0], standings);
  }

  /** One row per user, each carrying the badge catalogue's current version. */
  static List<Earned> earned(Handle h, List<Long> userIds) {
    return h.createQuery(EARNED).bindArray("users", Long.class, userIds).map(EARNED_ROW).list();
  }

  /**
   * Inserts the earned badges, element i of each list making one row, unless the badge's revision
   * moved or the user holds it already.
   *
   * @return the rows inserted
   */
  static List<AwardedBadge> insertBadges(
      Handle h, List<Long> users, List<Long> badges, List<Integer> revisions, List<Long> attempts) {
    return h.createQuery(INSERT_BADGES)
        .bindArray("users", Long.class, users)
        .bindArray("badges", Long.class, badges)
        .bindArray("revisions", Integer.class, revisions)
        .bindArray("attempts", Long.class, attempts)
        .map(AWARDED)
        .list();
  }

  private static Instant ts(OffsetDateTime t) {
    return t == null ? Instant.now() : t.toInstant();
  }

  /** The transaction's time, now(): what the award's UPDATE wrote as every processed_at. */
  static Instant transactionTime(Handle h) {
    return h.createQuery("SELECT now()").mapTo(Instant.class).one();
  }
}
