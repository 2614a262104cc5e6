package io.skillquest.worker;

import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.RoundTrip;
import io.skillquest.store.SqlArray;
import io.skillquest.store.events.Outbox;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Every statement of the award transaction. Each method runs on the caller's handle, inside the one
 * transaction {@link AwardProcessor} opens per batch, and each is one statement whatever the batch
 * size.
 */
final class AwardDao {

  /**
   * An attempt as locked, with the challenge terms it is paid by, the challenge's tags and the day
   * (in its owner's zone) a pass counts on.
   */
  record Attempt(
      long id,
      long userId,
      long challengeId,
      String status,
      int score,
      Instant submittedAt,
      int challengeXp,
      int passScore,
      List<String> tags,
      LocalDate day) {}

  /** An attempt's owner as locked, before this batch's gains. */
  record Owner(long id, long totalXp, Instant xpReachedAt) {}

  /** What was already paid to one user for one challenge. */
  record Paid(long userId, long challengeId) {}

  /** One user's already earned badges, read together with the catalogue version. */
  record Earned(long userId, long catalogueVersion, Set<Long> badgeIds) {}

  /** A badge the batch inserted. */
  record AwardedBadge(long userId, long badgeId) {}

  /**
   * Badges to insert, element i of each list making one row: the revision that was evaluated and
   * the attempt whose award earned it.
   */
  record NewBadges(
      List<Long> users, List<Long> badges, List<Integer> revisions, List<Long> attempts) {

    static final NewBadges NONE = new NewBadges(List.of(), List.of(), List.of(), List.of());
  }

  private record PaidSum(Paid pair, long paid) {}

  /**
   * SKIP LOCKED: an attempt another worker holds is mid-award; waiting would only find it done. NO
   * KEY UPDATE, because only status columns change and a badge row referencing the attempt must not
   * wait for us. The challenge is looked up per attempt: as a plain join, the prepared plan (which
   * guesses ten attempts whatever the batch) hashes every challenge, which for a lone award costs
   * more than the rest of the statement; {@code OFFSET 0} keeps the planner from turning the lookup
   * back into that join.
   */
  static final String LOCK_ATTEMPTS =
      """
      SELECT a.id, a.user_id, a.challenge_id, a.status, coalesce(a.score, 0) AS score, a.submitted_at,
             c.xp AS challenge_xp, c.pass_score, c.tags,
             (coalesce(a.occurred_at, a.submitted_at) AT TIME ZONE calendar_zone(u.time_zone))::date AS day
      FROM attempts a JOIN users u ON u.id = a.user_id
      CROSS JOIN LATERAL (SELECT xp, pass_score, tags FROM challenges WHERE id = a.challenge_id OFFSET 0) c
      WHERE a.id = ANY(:ids)
      FOR NO KEY UPDATE OF a SKIP LOCKED""";

  private static final String EXISTING = "SELECT id FROM attempts WHERE id = ANY(:ids)";

  /**
   * The owners' row locks serialise each user's awards, so the sums of what was paid cannot race
   * another award. Taken in id order, so two batches sharing users queue instead of deadlocking. NO
   * KEY UPDATE, because plain FOR UPDATE would also block inserts that merely reference the user
   * (logins, badges). The owners come from the attempts themselves (this statement travels with
   * {@link #LOCK_ATTEMPTS}, before Java has seen them): those of every attempt of the batch still
   * submitted, which may include one another worker holds; that only waits for it.
   */
  private static final String LOCK_OWNERS =
      """
      SELECT id, total_xp, xp_reached_at FROM users
      WHERE id IN (SELECT user_id FROM attempts WHERE id = ANY(:ids) AND status = 'submitted')
      ORDER BY id FOR NO KEY UPDATE""";

  /** Read after the owners' locks, by the statement after {@link #LOCK_OWNERS}. */
  private static final String ALREADY_PAID =
      """
      SELECT a.user_id, a.challenge_id, sum(a.xp_awarded) AS paid
      FROM (SELECT DISTINCT user_id, challenge_id FROM attempts
            WHERE id = ANY(:ids) AND status = 'submitted') p
      JOIN attempts a ON a.user_id = p.user_id AND a.challenge_id = p.challenge_id
      WHERE a.status IN ('passed', 'failed')
      GROUP BY a.user_id, a.challenge_id""";

  private static final String EARNED =
      """
      SELECT u.id, (SELECT version FROM badge_catalogue) AS version,
             ARRAY(SELECT badge_id FROM user_badges WHERE user_id = u.id) AS earned
      FROM (SELECT DISTINCT user_id AS id FROM attempts
            WHERE id = ANY(:ids) AND status = 'submitted') u""";

  /**
   * The first round trip of an award: everything Java decides the XP and the badges by. The badge
   * facts are read as they stand before this batch, under the owners' locks; Java adds the batch's
   * attempts to them.
   */
  static final String LOCK_AND_READ =
      String.join(
          ";\n",
          LOCK_ATTEMPTS,
          LOCK_OWNERS,
          ALREADY_PAID,
          EARNED,
          BadgeFactsDao.facts(
              "SELECT user_id FROM attempts WHERE id = ANY(:ids) AND status = 'submitted'"));

  /**
   * What {@link #lockAndRead} found.
   *
   * @param attempts the attempts this transaction holds, by id
   * @param owners the owners locked, by id (see {@link #LOCK_OWNERS} for who they are)
   * @param paid XP already paid per (user, challenge) pair; pairs never paid are absent
   * @param earned each owner's badges already earned
   * @param catalogueVersion the badge catalogue's version, or -1 when there are no owners
   * @param facts the owners' badge facts before this batch
   */
  record Locked(
      Map<Long, Attempt> attempts,
      Map<Long, Owner> owners,
      Map<Paid, Long> paid,
      Map<Long, Set<Long>> earned,
      long catalogueVersion,
      List<BadgeFactsDao.FactRow> facts) {}

  /** Only 'submitted' attempts move, so an attempt is settled exactly once. */
  static final String SETTLE =
      """
      UPDATE attempts a SET status = v.status, xp_awarded = v.xp, processed_at = now()
      FROM unnest(:ids, :statuses, :xps) AS v(id, status, xp)
      WHERE a.id = v.id AND a.status = 'submitted'""";

  /**
   * {@link #SETTLE} and the owners' gains in one statement: both need only what the locks already
   * read. The time reached is this statement's, taken after the owners' locks: the transaction's
   * start could be older than a total another batch committed while we waited, and would move the
   * owner's time backwards.
   */
  static final String SETTLE_AND_RAISE =
      """
      WITH settled AS (
        UPDATE attempts a SET status = v.status, xp_awarded = v.xp, processed_at = now()
        FROM unnest(:ids, :statuses, :xps) AS v(id, status, xp)
        WHERE a.id = v.id AND a.status = 'submitted'
        RETURNING a.id)
      UPDATE users u SET total_xp = u.total_xp + v.xp, level = v.level, xp_reached_at = statement_timestamp()
      FROM unnest(:users, :gains, :levels) AS v(id, xp, level)
      WHERE u.id = v.id
      RETURNING u.id, u.total_xp, u.xp_reached_at, now() AS processed_at""";

  /**
   * Sent after the settle, ahead of the COMMIT in the same round trip: the attempts were locked as
   * 'submitted', so each must have moved; if one had not, its owner's gain must not commit.
   */
  static final String SETTLED_ALL =
      """
      SELECT must_hold(NOT EXISTS (SELECT 1 FROM attempts WHERE id = ANY(:ids) AND status = 'submitted'),
                       'attempts changed while locked')""";

  /**
   * The second round trip's input: the attempts to move (element i of each list for attempt i) and
   * the owners who gained (element i of each for owner i; empty when nobody did).
   */
  record Settlement(
      List<Long> ids,
      List<String> statuses,
      List<Integer> xps,
      List<Long> raisedUsers,
      List<Long> gains,
      List<Integer> levels) {}

  /** The batch's events, written by {@link #settleAndCommit} under the outbox lock. */
  record Events(
      List<Outbox.Processed> processed,
      List<Outbox.LevelReached> levels,
      List<Outbox.BadgeAwarded> badges) {}

  /**
   * What {@link #settleAndCommit} did and read: the raised owners' standings, the badges inserted,
   * and the transaction's time, which is every settled attempt's processed_at (null when nobody was
   * raised). Every attempt moved, or it would have failed.
   */
  record Settled(List<Standing> standings, List<AwardedBadge> badges, Instant processedAt) {}

  /**
   * Joined on the revision that was evaluated: a condition changed meanwhile is left to the
   * backfill pass. Inserted in (user, badge) order, the order the backfill inserts in too, so the
   * two cannot deadlock.
   */
  private static final String INSERT_BADGES =
      """
      INSERT INTO user_badges (user_id, badge_id, attempt_id)
      SELECT e.user_id, b.id, e.attempt_id
      FROM badges b
      JOIN unnest(:badge_rows_users, :badge_rows_badges, :badge_rows_revisions, :badge_rows_attempts)
           AS e(user_id, id, revision, attempt_id)
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
              rs.getInt("pass_score"),
              List.of((String[]) rs.getArray("tags").getArray()),
              rs.getObject("day", LocalDate.class));

  private static final RowMapper<Owner> OWNER =
      (rs, ctx) ->
          new Owner(
              rs.getLong("id"),
              rs.getLong("total_xp"),
              ts(rs.getObject("xp_reached_at", OffsetDateTime.class)));

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

  /**
   * Locks the attempts no other transaction holds (until the award commits) and the owners of those
   * still submitted, and reads what was paid and earned: one round trip.
   */
  static Locked lockAndRead(Handle h, List<Long> ids) {
    return RoundTrip.run(
        h.createQuery(LOCK_AND_READ).bind("ids", SqlArray.bigints(ids)),
        r -> {
          var attempts = new HashMap<Long, Attempt>();
          r.list(ATTEMPT).forEach(a -> attempts.put(a.id(), a));
          var owners = new LinkedHashMap<Long, Owner>();
          r.list(OWNER).forEach(o -> owners.put(o.id(), o));
          var paid = new HashMap<Paid, Long>();
          r.list(PAID_SUM).forEach(p -> paid.put(p.pair(), p.paid()));
          var earned = new HashMap<Long, Set<Long>>();
          long version = -1;
          for (var e : r.list(EARNED_ROW)) {
            earned.put(e.userId(), e.badgeIds());
            version = e.catalogueVersion();
          }
          return new Locked(
              attempts, owners, paid, earned, version, r.list(BadgeFactsDao.FACT_ROW));
        });
  }

  /** Which of {@code ids} exist at all; no statement for none. */
  static Set<Long> existing(Handle h, List<Long> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        h.createQuery(EXISTING).bind("ids", SqlArray.bigints(ids)).mapTo(Long.class).list());
  }

  /**
   * The second and last round trip of an award: moves the attempts from 'submitted' to their status
   * with their XP, adds each raised owner's gain and sets their level, inserts the earned badges
   * (unless the badge's revision moved or the user holds it already), writes the events under the
   * outbox lock, and commits. The statements run in that order; the first that fails stops the
   * rest, the COMMIT included, and the caller's transaction rolls back.
   *
   * @param events the events; badge events are written only for rows this batch inserted
   */
  static Settled settleAndCommit(
      Handle h, Settlement s, NewBadges badges, Optional<Events> events) {
    boolean raised = !s.raisedUsers().isEmpty();
    boolean awarding = !badges.users().isEmpty();
    var sql = new StringJoiner(";\n");
    sql.add(raised ? SETTLE_AND_RAISE : SETTLE).add(SETTLED_ALL);
    if (awarding) {
      sql.add(INSERT_BADGES);
    }
    if (events.isPresent()) {
      sql.add(Outbox.LOCK).add(Outbox.INSERT);
    }
    sql.add("COMMIT");
    var q =
        h.createQuery(sql.toString())
            .bind("ids", SqlArray.bigints(s.ids()))
            .bind("statuses", SqlArray.varchars(s.statuses()))
            .bind("xps", SqlArray.integers(s.xps()));
    if (raised) {
      q.bind("users", SqlArray.bigints(s.raisedUsers()))
          .bind("gains", SqlArray.bigints(s.gains()))
          .bind("levels", SqlArray.integers(s.levels()));
    }
    if (awarding) {
      q.bind("badge_rows_users", SqlArray.bigints(badges.users()))
          .bind("badge_rows_badges", SqlArray.bigints(badges.badges()))
          .bind("badge_rows_revisions", SqlArray.integers(badges.revisions()))
          .bind("badge_rows_attempts", SqlArray.bigints(badges.attempts()));
    }
    events.ifPresent(e -> Outbox.bind(q, e.processed(), e.levels(), e.badges()));
    return RoundTrip.run(
        q,
        r -> {
          List<Standing> standings = List.of();
          Instant[] processedAt = {null};
          if (raised) {
            standings =
                r.list(
                    (rs, ctx) -> {
                      processedAt[0] = ts(rs.getObject("processed_at", OffsetDateTime.class));
                      return STANDING.map(rs, ctx);
                    });
          } else {
            r.skip();
          }
          r.skip(); // SETTLED_ALL: it passed, or the round trip failed
          var inserted = awarding ? r.list(AWARDED) : List.<AwardedBadge>of();
          return new Settled(standings, inserted, processedAt[0]);
        });
  }

  private static Instant ts(OffsetDateTime t) {
    return t == null ? Instant.now() : t.toInstant();
  }
}
