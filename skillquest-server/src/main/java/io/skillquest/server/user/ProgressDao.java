package io.skillquest.server.user;

import io.skillquest.store.RoundTrip;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * What the caller can read about themselves. Progress is three queries in one round trip, however
 * many badges or attempts. A plain class over {@link Jdbi} with prebuilt {@link RowMapper}s rather
 * than a SqlObject interface, because progress is a hot read and an on-demand SqlObject call costs
 * about four times the CPU of the same query.
 */
public final class ProgressDao {

  public record Summary(
      long totalXp, String timeZone, long started, long submitted, long passed, long failed) {}

  /** Everything progress needs from the database, read from one snapshot. */
  public record Snapshot(Summary summary, List<EarnedBadge> badges, List<LocalDate> passedDays) {}

  private static final String BADGES =
      "SELECT b.id, b.name, b.description, b.icon_url, ub.awarded_at"
          + " FROM user_badges ub JOIN badges b ON b.id = ub.badge_id"
          + " WHERE ub.user_id = :userId ORDER BY ub.awarded_at DESC, b.id DESC";

  private static final String SUMMARY =
      "SELECT u.total_xp, calendar_zone(u.time_zone) AS time_zone,"
          + " count(a.id) FILTER (WHERE a.status = 'started') AS started,"
          + " count(a.id) FILTER (WHERE a.status = 'submitted') AS submitted,"
          + " count(a.id) FILTER (WHERE a.status = 'passed') AS passed,"
          + " count(a.id) FILTER (WHERE a.status = 'failed') AS failed"
          + " FROM users u LEFT JOIN attempts a ON a.user_id = u.id"
          + " WHERE u.id = :userId GROUP BY u.id";

  /**
   * Calendar days, in the user's own time zone, on which they passed at least one attempt: the zone
   * the worker counts streak badges in ({@code calendar_zone}, UTC for one PostgreSQL does not
   * know), worked out once rather than per attempt.
   */
  private static final String PASSED_DAYS =
      """
      WITH owner AS MATERIALIZED (SELECT calendar_zone(time_zone) AS zone FROM users WHERE id = :userId)
      SELECT DISTINCT (coalesce(a.occurred_at, a.submitted_at) AT TIME ZONE o.zone)::date AS day
      FROM owner o JOIN attempts a ON a.user_id = :userId AND a.status = 'passed'
      ORDER BY day""";

  /**
   * The isolation level as the transaction's first statement rather than a connection setting: no
   * round trips to set it and to restore it when the connection goes back to the pool.
   */
  private static final String SNAPSHOT =
      String.join(
          ";\n",
          "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
          SUMMARY,
          BADGES,
          PASSED_DAYS);

  private static final RowMapper<EarnedBadge> BADGE =
      (rs, ctx) ->
          new EarnedBadge(
              rs.getLong("id"),
              rs.getString("name"),
              rs.getString("description"),
              rs.getString("icon_url"),
              rs.getObject("awarded_at", OffsetDateTime.class).toInstant());

  private static final RowMapper<Summary> SUMMARY_ROW =
      (rs, ctx) ->
          new Summary(
              rs.getLong("total_xp"),
              rs.getString("time_zone"),
              rs.getLong("started"),
              rs.getLong("submitted"),
              rs.getLong("passed"),
              rs.getLong("failed"));

  private static final RowMapper<LocalDate> DAY = (rs, ctx) -> rs.getObject("day", LocalDate.class);

  private final Jdbi jdbi;

  public ProgressDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<EarnedBadge> badges(long userId) {
    return jdbi.withHandle(h -> badges(h, userId));
  }

  /**
   * Summary, badges and passed days from one read-only REPEATABLE READ snapshot, in one round trip
   * (and the commit); empty when there is no such user.
   */
  public Optional<Snapshot> snapshot(long userId) {
    return jdbi.inTransaction(
        tx ->
            RoundTrip.run(
                tx.createQuery(SNAPSHOT).bind("userId", userId),
                r -> {
                  r.skip();
                  var summary = r.list(SUMMARY_ROW);
                  var badges = r.list(BADGE);
                  var days = r.list(DAY);
                  return summary.stream().findFirst().map(s -> new Snapshot(s, badges, days));
                }));
  }

  private static List<EarnedBadge> badges(Handle h, long userId) {
    return h.createQuery(BADGES).bind("userId", userId).map(BADGE).list();
  }
}
