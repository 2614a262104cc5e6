package io.skillquest.server.leaderboard;

import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.store.SqlArray;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The users behind the sorted set, and the same ordering in SQL for when Redis is unavailable. */
public final class LeaderboardDao {
  /** When a user reached their XP, to the millisecond: the precision the Redis board holds. */
  static final String REACHED_MS = "date_trunc('milliseconds', xp_reached_at AT TIME ZONE 'UTC')";

  /**
   * The leaderboard's order, exactly as in Redis: more XP first, then whoever reached it first to
   * the millisecond, then the lower id, which makes every rank distinct. (Ordering by the full
   * microsecond time would split users Redis holds as tied in the same millisecond.) The index
   * users_ranking_ms is on this expression.
   */
  static final String ORDER = "total_xp DESC, " + REACHED_MS + ", id";

  private static final String NAMES = "SELECT id, username FROM users WHERE id = ANY(:ids)";

  /**
   * The position (ordinal) and the competition rank: rank() over XP alone gives equal XP an equal
   * rank and skips after it (1, 2, 2, 4), exactly one more than the users with strictly more XP.
   */
  private static final String RANKS =
      "row_number() OVER (ORDER BY "
          + ORDER
          + ") AS position, rank() OVER (ORDER BY total_xp DESC) AS competition";

  private static final String PAGE =
      "SELECT "
          + RANKS
          + ", id AS user_id, username, total_xp FROM users ORDER BY "
          + ORDER
          + " LIMIT :limit OFFSET :offset";
  private static final String AROUND =
      "WITH ranked AS (SELECT "
          + RANKS
          + ", id AS user_id, username, total_xp FROM users),"
          + " me AS (SELECT position FROM ranked WHERE user_id = :userId)"
          + " SELECT ranked.* FROM ranked, me"
          + " WHERE ranked.position BETWEEN me.position - :around AND me.position + :around"
          + " ORDER BY ranked.position";
  private static final String RANK =
      """
      SELECT count(*) + 1 FROM users o, users me WHERE me.id = :userId
        AND (o.total_xp > me.total_xp
             OR (o.total_xp = me.total_xp
                 AND (date_trunc('milliseconds', o.xp_reached_at AT TIME ZONE 'UTC'), o.id)
                   < (date_trunc('milliseconds', me.xp_reached_at AT TIME ZONE 'UTC'), me.id)))""";

  private static final String COMPETITION_RANK =
      """
      SELECT count(*) + 1 FROM users o, users me WHERE me.id = :userId
        AND o.total_xp > me.total_xp""";

  record Name(long id, String username) {}

  record Ranked(long rank, long userId, String username, long totalXp) {}

  private static final RowMapper<Name> NAME =
      (rs, ctx) -> new Name(rs.getLong("id"), rs.getString("username"));

  private static RowMapper<Ranked> ranked(Ranking ranking) {
    String column = ranking == Ranking.COMPETITION ? "competition" : "position";
    return (rs, ctx) ->
        new Ranked(
            rs.getLong(column),
            rs.getLong("user_id"),
            rs.getString("username"),
            rs.getLong("total_xp"));
  }

  private final Jdbi jdbi;

  public LeaderboardDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Name> names(List<Long> ids) {
    return jdbi.withHandle(
        h -> h.createQuery(NAMES).bind("ids", SqlArray.bigints(ids)).map(NAME).list());
  }

  List<Ranked> page(int limit, int offset) {
    return page(limit, offset, Ranking.ORDINAL);
  }

  List<Ranked> page(int limit, int offset, Ranking ranking) {
    return jdbi.withHandle(
        h ->
            h.createQuery(PAGE)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(ranked(ranking))
                .list());
  }

  List<Ranked> around(long userId, int around, Ranking ranking) {
    return jdbi.withHandle(
        h ->
            h.createQuery(AROUND)
                .bind("userId", userId)
                .bind("around", around)
                .map(ranked(ranking))
                .list());
  }

  long rank(long userId) {
    return rank(userId, Ranking.ORDINAL);
  }

  long rank(long userId, Ranking ranking) {
    String sql = ranking == Ranking.COMPETITION ? COMPETITION_RANK : RANK;
    return jdbi.withHandle(h -> h.createQuery(sql).bind("userId", userId).mapTo(Long.class).one());
  }
}
