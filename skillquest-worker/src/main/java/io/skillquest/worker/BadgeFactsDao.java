package io.skillquest.worker;

import io.skillquest.store.SqlArray;
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
   * One statement: three aggregates told apart by their first column, over the users {@code users}
   * selects (a query yielding user ids). Each user's attempts are read once, into {@code mine}, and
   * aggregated three ways: on a lone award the statement runs on cold caches, where every extra
   * pass over the attempts costs more than the aggregates. Each user's days are counted in {@code
   * calendar_zone} of their time zone, which falls back to UTC rather than fail an award on a zone
   * PostgreSQL does not know.
   */
  static String facts(String users) {
    return """
        WITH subject AS MATERIALIZED (
          SELECT id AS user_id, calendar_zone(time_zone) AS zone FROM users WHERE id IN (%s)),
        mine AS MATERIALIZED (
          SELECT a.user_id, a.status, a.score, a.challenge_id,
                 (coalesce(a.occurred_at, a.submitted_at) AT TIME ZONE s.zone)::date AS day
          FROM subject s JOIN attempts a ON a.user_id = s.user_id)
        SELECT 'status' AS kind, user_id, status AS key, count(*) AS n,
               count(*) FILTER (WHERE score = 100 AND status IN ('passed', 'failed')) AS perfect
        FROM mine
        GROUP BY user_id, status
        UNION ALL
        SELECT 'tag', m.user_id, t.tag, count(*), 0
        FROM mine m
        JOIN challenges c ON c.id = m.challenge_id
        CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
        WHERE m.status = 'passed'
        GROUP BY m.user_id, t.tag
        UNION ALL
        SELECT 'day', user_id, day::text, 1, 0
        FROM mine
        WHERE status = 'passed'
        GROUP BY user_id, day"""
        .formatted(users);
  }

  /** {@link #facts} of the users bound as {@code fact_users} ({@link #bind}). */
  static final String FACTS = facts("SELECT unnest(:fact_users)");

  static final RowMapper<FactRow> FACT_ROW =
      (rs, ctx) ->
          new FactRow(
              rs.getString("kind"),
              rs.getLong("user_id"),
              rs.getString("key"),
              rs.getInt("n"),
              rs.getInt("perfect"));

  private BadgeFactsDao() {}

  static List<FactRow> facts(Handle h, List<Long> userIds) {
    return bind(h.createQuery(FACTS), userIds).map(FACT_ROW).list();
  }

  /** Binds {@link #FACTS}'s users. */
  static <S extends SqlStatement<S>> S bind(S statement, List<Long> userIds) {
    return statement.bind("fact_users", SqlArray.bigints(userIds));
  }
}
