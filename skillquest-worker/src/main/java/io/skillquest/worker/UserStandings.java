package io.skillquest.worker;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The leaderboard's source of truth: users' totals and when they reached them. */
@RegisterConstructorMapper(UserStandings.Standing.class)
interface UserStandings {

  record Standing(long id, long totalXp, Instant xpReachedAt) {}

  @SqlQuery(
      "SELECT id, total_xp, xp_reached_at FROM users WHERE id > :after ORDER BY id LIMIT :limit")
  List<Standing> page(long after, int limit);

  @SqlQuery(
      "SELECT id, total_xp, xp_reached_at FROM users WHERE xp_reached_at >= :since AND id > :after "
          + "ORDER BY id LIMIT :limit")
  List<Standing> changedSince(Instant since, long after, int limit);

  @SqlQuery("SELECT count(*) FROM users")
  long count();

  @SqlQuery("SELECT now()")
  Instant now();
}
