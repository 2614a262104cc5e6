package io.skillquest.server.leaderboard;

import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.core.xp.Level;
import io.skillquest.store.SqlArray;
import io.skillquest.store.leaderboard.PeriodAttempts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Day, week and month boards in SQL: final standings of finished windows, and the live order
 * computed from attempts when Redis cannot answer. Both rank exactly like the Redis board: XP
 * earned in the window descending, who reached that sum first (to the millisecond), lower id.
 */
final class PeriodDao {

  /** Ranked rows of a final window: position stored, competition rank from equal XP. */
  private static final String FINAL_RANKED =
      """
      SELECT ps.position, rank() OVER (ORDER BY ps.xp DESC) AS competition, ps.user_id,
             u.username, ps.xp, u.total_xp
      FROM period_standings ps JOIN users u ON u.id = ps.user_id
      WHERE ps.period = :period AND ps.window_id = :id""";

  /** Ranked rows of a live window, from attempts. */
  private static final String LIVE_RANKED =
      "SELECT row_number() OVER (ORDER BY "
          + PeriodAttempts.ORDER
          + ") AS position, rank() OVER (ORDER BY s.xp DESC) AS competition, s.user_id,"
          + " u.username, s.xp, u.total_xp FROM ("
          + PeriodAttempts.SUMS
          + ") s JOIN users u ON u.id = s.user_id";

  private static final String PAGE = " ORDER BY position LIMIT :limit OFFSET :offset";

  record Row(long position, long competition, long userId, String username, long xp, long totalXp) {
    LeaderboardEntry entry(Ranking ranking) {
      return new LeaderboardEntry(
          ranking == Ranking.COMPETITION ? competition : position,
          userId,
          username,
          xp,
          totalXp,
          Level.levelFor(totalXp));
    }
  }

  record User(String username, long totalXp) {}

  private static final RowMapper<Row> ROW =
      (rs, ctx) ->
          new Row(
              rs.getLong("position"),
              rs.getLong("competition"),
              rs.getLong("user_id"),
              rs.getString("username"),
              rs.getLong("xp"),
              rs.getLong("total_xp"));

  private final Jdbi jdbi;

  PeriodDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  boolean finalised(PeriodWindow w) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                        "SELECT count(*) FROM period_finals WHERE period = :period AND window_id = :id")
                    .bind("period", w.period().wireName())
                    .bind("id", w.id())
                    .mapTo(Long.class)
                    .one()
                > 0);
  }

  List<Row> page(PeriodWindow w, boolean fin, int limit, int offset) {
    return jdbi.withHandle(
        h ->
            bind(
                    h.createQuery(
                        "SELECT * FROM (" + (fin ? FINAL_RANKED : LIVE_RANKED) + ") r" + PAGE),
                    w,
                    fin)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(ROW)
                .list());
  }

  /** The user's row and up to {@code around} rows each side; empty when the user is unranked. */
  List<Row> around(PeriodWindow w, boolean fin, long userId, int around) {
    String sql =
        "WITH r AS ("
            + (fin ? FINAL_RANKED : LIVE_RANKED)
            + "), me AS (SELECT position FROM r WHERE user_id = :userId)"
            + " SELECT r.* FROM r, me WHERE r.position BETWEEN me.position - :around"
            + " AND me.position + :around ORDER BY r.position";
    return jdbi.withHandle(
        h ->
            bind(h.createQuery(sql), w, fin)
                .bind("userId", userId)
                .bind("around", around)
                .map(ROW)
                .list());
  }

  private static final String HISTORY =
      """
      SELECT ps.window_id, pf.first_day, ps.position, ps.xp,
             (SELECT count(*) FROM period_standings o
              WHERE o.period = ps.period AND o.window_id = ps.window_id) AS ranked
      FROM period_standings ps
      JOIN period_finals pf ON pf.period = ps.period AND pf.window_id = ps.window_id
      WHERE ps.user_id = :userId AND ps.period = :period
      ORDER BY pf.first_day DESC LIMIT :limit""";

  /** The user's final places in finished windows of a period, newest first. */
  List<RankHistoryEntry> history(long userId, String period, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(HISTORY)
                .bind("userId", userId)
                .bind("period", period)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new RankHistoryEntry(
                            rs.getString("window_id"),
                            rs.getObject("first_day", java.time.LocalDate.class),
                            rs.getLong("position"),
                            rs.getLong("xp"),
                            rs.getLong("ranked")))
                .list());
  }

  /** Names and totals of users, for rows read from Redis. */
  Map<Long, User> users(List<Long> ids) {
    var out = new HashMap<Long, User>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT id, username, total_xp FROM users WHERE id = ANY(:ids)")
                .bind("ids", SqlArray.bigints(ids))
                .map(
                    (rs, ctx) ->
                        Map.entry(
                            rs.getLong("id"),
                            new User(rs.getString("username"), rs.getLong("total_xp"))))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  Optional<User> user(long id) {
    return Optional.ofNullable(users(List.of(id)).get(id));
  }

  private static Query bind(Query q, PeriodWindow w, boolean fin) {
    return fin
        ? q.bind("period", w.period().wireName()).bind("id", w.id())
        : q.bind("start", PeriodAttempts.at(w.start())).bind("end", PeriodAttempts.at(w.end()));
  }
}
