package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.SqlArray;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The leaderboard's source of truth: users' totals and when they reached them. */
final class UserStandings {

  private static final String PAGE =
      "SELECT id, total_xp, xp_reached_at FROM users WHERE id > :after ORDER BY id LIMIT :limit";

  /**
   * Users whose XP changed after a point, in the order it changed. Paged by (xp_reached_at, id),
   * not by id: the worker's pool keeps generic plans, and a generic plan cannot tell that the few
   * recent changes are a sliver of the table, so paging by id walked every user (72 ms at a million
   * users, every upkeep). In time order the index on xp_reached_at is read from the cursor on, and
   * the limit stops it, whatever the plan guesses.
   */
  static final String CHANGED_SINCE =
      """
      SELECT id, total_xp, xp_reached_at FROM users
      WHERE (xp_reached_at, id) > (:afterAt, :after)
      ORDER BY xp_reached_at, id LIMIT :limit""";

  private static final String EXISTING = "SELECT id FROM users WHERE id = ANY(:ids)";

  /**
   * How many users joined after an id (ids only grow), counted up to a cap, and the newest id. The
   * limit keeps the generic plan on the primary key: a bare {@code id > ?} is guessed at a third of
   * the table, and that plan scans it.
   */
  static final String JOINED_AFTER =
      """
      SELECT count(*), coalesce(max(id), :after) FROM (
        SELECT id FROM users WHERE id > :after ORDER BY id LIMIT :cap) joined""";

  /** The number of users and the newest user's id (the one given, or 0, when there are none). */
  record Census(long count, long newestId) {}

  private static final RowMapper<Census> CENSUS =
      (rs, ctx) -> new Census(rs.getLong(1), rs.getLong(2));

  private static final RowMapper<Standing> STANDING =
      (rs, ctx) ->
          new Standing(
              rs.getLong("id"),
              rs.getLong("total_xp"),
              rs.getObject("xp_reached_at", OffsetDateTime.class).toInstant());

  private final Jdbi jdbi;

  UserStandings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Standing> page(long after, int limit) {
    return jdbi.withHandle(
        h -> h.createQuery(PAGE).bind("after", after).bind("limit", limit).map(STANDING).list());
  }

  /**
   * A page of users whose XP changed, and the exact point the next page starts after ({@link
   * Standing} keeps only milliseconds).
   */
  record Changed(List<Standing> standings, Instant lastAt, long lastId) {

    /** The first page: every change at or after {@code since}. */
    static Changed since(Instant since) {
      return new Changed(List.of(), since, 0);
    }
  }

  /** Up to {@code limit} users whose XP changed after {@code page}'s last row, in that order. */
  Changed changedAfter(Changed page, int limit) {
    var rows =
        jdbi.withHandle(
            h ->
                h.createQuery(CHANGED_SINCE)
                    .bind("afterAt", page.lastAt())
                    .bind("after", page.lastId())
                    .bind("limit", limit)
                    .map(
                        (rs, ctx) ->
                            Map.entry(
                                STANDING.map(rs, ctx),
                                rs.getObject("xp_reached_at", OffsetDateTime.class).toInstant()))
                    .list());
    if (rows.isEmpty()) {
      return new Changed(List.of(), page.lastAt(), page.lastId());
    }
    var last = rows.get(rows.size() - 1);
    return new Changed(
        rows.stream().map(Map.Entry::getKey).toList(), last.getValue(), last.getKey().userId());
  }

  /** Every user counted, and the newest id, in one scan. */
  Census census() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT count(*), coalesce(max(id), 0) FROM users").map(CENSUS).one());
  }

  /** The users who joined after {@code id}, up to {@code cap} of them, and the newest id. */
  Census joinedAfter(long id, int cap) {
    return jdbi.withHandle(
        h -> h.createQuery(JOINED_AFTER).bind("after", id).bind("cap", cap).map(CENSUS).one());
  }

  Instant now() {
    return jdbi.withHandle(h -> h.createQuery("SELECT now()").mapTo(Instant.class).one());
  }

  /** Which of these ids are still users. */
  List<Long> existing(List<Long> ids) {
    return jdbi.withHandle(
        h -> h.createQuery(EXISTING).bind("ids", SqlArray.bigints(ids)).mapTo(Long.class).list());
  }
}
