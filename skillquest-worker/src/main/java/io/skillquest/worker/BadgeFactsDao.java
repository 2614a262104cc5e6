package io.skillquest.worker;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** The one query behind {@link BadgeFacts}, run on the caller's handle and transaction. */
final class BadgeFactsDao {

  /**
   * One row of the facts query: {@code kind} 'status' (key: the attempt status; n attempts, of
   * which {@code perfect} scored 100 and were judged), 'tag' (key: a tag; n passed attempts
   * carrying it) or 'day' (key: an ISO date on which the user passed an attempt, in their zone).
   */
  record FactRow(String kind, long userId, String key, int n, int perfect) {}

  /**
   * One statement: three aggregates told apart by their first column. Zones come validated from
   * Java ({@link BadgeFacts#zoneOf}), so a bad users.time_zone can never fail an award. Binds
   * {@code fact_users} and {@code fact_zones} ({@link #bind}), names no other statement of the
   * award uses, so it can travel with them in one {@link io.skillquest.store.RoundTrip}.
   */
  static final String FACTS =
      """
      SELECT 'status' AS kind, user_id, status AS key, count(*) AS n,
             count(*) FILTER (WHERE score = 100 AND status IN ('passed', 'failed')) AS perfect
      FROM attempts WHERE user_id = ANY(:fact_users) GROUP BY user_id, status
      UNION ALL
      SELECT 'tag', a.user_id, t.tag, count(*), 0
      FROM attempts a
      JOIN challenges c ON c.id = a.challenge_id
      CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
      WHERE a.user_id = ANY(:fact_users) AND a.status = 'passed'
      GROUP BY a.user_id, t.tag
      UNION ALL
      SELECT 'day', d.user_id, d.day::text, 1, 0
      FROM (SELECT DISTINCT z.user_id, (coalesce(a.occurred_at, a.submitted_at) AT TIME ZONE z.zone)::date AS day
            FROM unnest(:fact_users, :fact_zones) AS z(user_id, zone)
            JOIN attempts a ON a.user_id = z.user_id AND a.status = 'passed') d""";

  static final RowMapper<FactRow> FACT_ROW =
      (rs, ctx) ->
          new FactRow(
              rs.getString("kind"),
              rs.getLong("user_id"),
              rs.getString("key"),
              rs.getInt("n"),
              rs.getInt("perfect"));

  private BadgeFactsDao() {}

  /**
   * @param userIds the users
   * @param zones each user's zone id, element i for user i
   */
  static List<FactRow> facts(Handle h, List<Long> userIds, List<String> zones) {
    return bind(h.createQuery(FACTS), userIds, zones).map(FACT_ROW).list();
  }

  /** Binds {@link #FACTS}'s users and their zones, element i of each for user i. */
  static <S extends SqlStatement<S>> S bind(S statement, List<Long> userIds, List<String> zones) {
    return statement
        .bindArray("fact_users", Long.class, userIds)
        .bindArray("fact_zones", String.class, zones);
  }
}
