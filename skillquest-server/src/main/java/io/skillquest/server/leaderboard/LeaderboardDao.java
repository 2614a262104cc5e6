package io.skillquest.server.leaderboard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The users behind the sorted set, and the same ordering in SQL for when Redis is unavailable. */
public interface LeaderboardDao {
  /**
   * The leaderboard's order: more XP first, then whoever reached it first; id makes every rank
   * distinct.
   */
  String ORDER = "total_xp DESC, xp_reached_at, id";

  record Name(long id, String username) {}

  record Ranked(long rank, long userId, String username, long totalXp) {}

  record Standing(long totalXp, Instant xpReachedAt) {}

  @SqlQuery("SELECT id, username FROM users WHERE id = ANY(:ids)")
  @RegisterConstructorMapper(Name.class)
  List<Name> names(List<Long> ids);

  @SqlQuery("SELECT total_xp, xp_reached_at FROM users WHERE id = :userId")
  @RegisterConstructorMapper(Standing.class)
  Optional<Standing> standing(long userId);

  @SqlQuery(
      "SELECT row_number() OVER (ORDER BY "
          + ORDER
          + ") AS rank, id AS user_id, username, total_xp"
          + " FROM users ORDER BY "
          + ORDER
          + " LIMIT :limit OFFSET :offset")
  @RegisterConstructorMapper(Ranked.class)
  List<Ranked> page(int limit, int offset);

  @SqlQuery(
      "WITH ranked AS (SELECT row_number() OVER (ORDER BY "
          + ORDER
          + ") AS rank, id AS user_id, username, total_xp"
          + "                FROM users),"
          + "     me AS (SELECT rank FROM ranked WHERE user_id = :userId)"
          + " SELECT ranked.* FROM ranked, me"
          + " WHERE ranked.rank BETWEEN me.rank - :around AND me.rank + :around ORDER BY ranked.rank")
  @RegisterConstructorMapper(Ranked.class)
  List<Ranked> around(long userId, int around);

  @SqlQuery(
      "SELECT count(*) + 1 FROM users o, users me WHERE me.id = :userId"
          + " AND (o.total_xp > me.total_xp"
          + "      OR (o.total_xp = me.total_xp AND (o.xp_reached_at, o.id) < (me.xp_reached_at, me.id)))")
  long rank(long userId);
}
