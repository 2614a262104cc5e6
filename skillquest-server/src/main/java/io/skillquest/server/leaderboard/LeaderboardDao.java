package io.skillquest.server.leaderboard;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The users behind the sorted set, and the same ordering in SQL for when Redis is unavailable. */
public final class LeaderboardDao {
  /**
   * The leaderboard's order: more XP first, then whoever reached it first; id makes every rank
   * distinct.
   */
  static final String ORDER = "total_xp DESC, xp_reached_at, id";

  private static final String NAMES = "SELECT id, username FROM users WHERE id = ANY(:ids)";
  private static final String PAGE =
      "SELECT row_number() OVER (ORDER BY "
          + ORDER
          + ") AS rank, id AS user_id, username, total_xp FROM users ORDER BY "
          + ORDER
          + " LIMIT :limit OFFSET :offset";
  private static final String AROUND =
      "WITH ranked AS (SELECT row_number() OVER (ORDER BY "
          + ORDER
          + ") AS rank, id AS user_id, username, total_xp FROM users),"
          + " me AS (SELECT rank FROM ranked WHERE user_id = :userId)"
          + " SELECT ranked.* FROM ranked, me"
          + " WHERE ranked.rank BETWEEN me.rank - :around AND me.rank + :around ORDER BY ranked.rank";
  private static final String RANK =
      """
      SELECT count(*) + 1 FROM users o, users me WHERE me.id = :userId
        AND (o.total_xp > me.total_xp
             OR (o.total_xp = me.total_xp AND (o.xp_reached_at, o.id) < (me.xp_reached_at, me.id)))""";

  record Name(long id, String username) {}

  record Ranked(long rank, long userId, String username, long totalXp) {}

  private static final RowMapper<Name> NAME =
      (rs, ctx) -> new Name(rs.getLong("id"), rs.getString("username"));
  private static final RowMapper<Ranked> RANKED =
      (rs, ctx) ->
          new Ranked(
              rs.getLong("rank"),
              rs.getLong("user_id"),
              rs.getString("username"),
              rs.getLong("total_xp"));

  private final Jdbi jdbi;

  public LeaderboardDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Name> names(List<Long> ids) {
    return jdbi.withHandle(
        h -> h.createQuery(NAMES).bindArray("ids", Long.class, ids).map(NAME).list());
  }

  List<Ranked> page(int limit, int offset) {
    return jdbi.withHandle(
        h -> h.createQuery(PAGE).bind("limit", limit).bind("offset", offset).map(RANKED).list());
  }

  List<Ranked> around(long userId, int around) {
    return jdbi.withHandle(
        h ->
            h.createQuery(AROUND).bind("userId", userId).bind("around", around).map(RANKED).list());
  }

  long rank(long userId) {
    return jdbi.withHandle(h -> h.createQuery(RANK).bind("userId", userId).mapTo(Long.class).one());
  }
}
