package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.Standing;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The leaderboard's source of truth: users' totals and when they reached them. */
final class UserStandings {

  private static final String PAGE =
      "SELECT id, total_xp, xp_reached_at FROM users WHERE id > :after ORDER BY id LIMIT :limit";
  private static final String CHANGED_SINCE =
      """
      SELECT id, total_xp, xp_reached_at FROM users
      WHERE xp_reached_at >= :since AND id > :after ORDER BY id LIMIT :limit""";
  private static final String EXISTING = "SELECT id FROM users WHERE id = ANY(:ids)";

  private static final RowMapper<Standing> STANDING =
      (rs, ctx) ->
          new Standing(
              rs.getLong("id"),
              rs.getLong("total_xp"),
              rs.getObject("xp_reached_at", java.time.OffsetDateTime.class).toInstant());

  private final Jdbi jdbi;

  UserStandings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Standing> page(long after, int limit) {
    return jdbi.withHandle(
        h -> h.createQuery(PAGE).bind("after", after).bind("limit", limit).map(STANDING).list());
  }

  List<Standing> changedSince(Instant since, long after, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(CHANGED_SINCE)
                .bind("since", since)
                .bind("after", after)
                .bind("limit", limit)
                .map(STANDING)
                .list());
  }

  long count() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
  }

  Instant now() {
    return jdbi.withHandle(h -> h.createQuery("SELECT now()").mapTo(Instant.class).one());
  }

  /** Which of these ids are still users. */
  List<Long> existing(List<Long> ids) {
    return jdbi.withHandle(
        h -> h.createQuery(EXISTING).bindArray("ids", Long.class, ids).mapTo(Long.class).list());
  }
}
