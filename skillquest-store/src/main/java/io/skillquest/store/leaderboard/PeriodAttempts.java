package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.SqlArray;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The period boards' source of truth: the XP each user earned in a window is the sum of {@code
 * xp_awarded} of their attempts processed in it, reached when the last of those attempts was
 * processed. Equal sums are ordered by who reached them first (to the millisecond), then the lower
 * user id, exactly like the all-time board.
 */
public final class PeriodAttempts {

  /** SQL order of per-user window sums {@code s(user_id, xp, reached_at)}, the board order. */
  public static final String ORDER =
      "xp DESC, date_trunc('milliseconds', reached_at AT TIME ZONE 'UTC'), user_id";

  /** Per-user sums of one window; binds {@code start} and {@code end}. */
  public static final String SUMS =
      """
      SELECT user_id, sum(xp_awarded) AS xp, max(processed_at) AS reached_at FROM attempts
      WHERE processed_at >= :start AND processed_at < :end AND xp_awarded > 0
      GROUP BY user_id""";

  private static final String PAGE =
      "SELECT * FROM (" + SUMS + ") s WHERE user_id > :after ORDER BY user_id LIMIT :limit";

  /**
   * Per-user sums in several windows in one statement. Binds {@code window_starts}, {@code
   * window_ends} and {@code window_users}.
   */
  private static final String IN_WINDOWS =
      """
      SELECT w.i AS window, a.user_id, sum(a.xp_awarded) AS xp, max(a.processed_at) AS reached_at
      FROM unnest(CAST(:window_starts AS timestamptz[]), CAST(:window_ends AS timestamptz[]))
           WITH ORDINALITY AS w(s, e, i)
      JOIN attempts a ON a.processed_at >= w.s AND a.processed_at < w.e
      WHERE a.user_id = ANY(:window_users) AND a.xp_awarded > 0
      GROUP BY w.i, a.user_id""";

  private static final RowMapper<Standing> STANDING =
      (rs, ctx) ->
          new Standing(
              rs.getLong("user_id"),
              rs.getLong("xp"),
              rs.getObject("reached_at", OffsetDateTime.class).toInstant());

  private final Jdbi jdbi;

  PeriodAttempts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A page of a window's standings in user id order, for rebuilding its live board. */
  List<Standing> page(PeriodWindow w, long after, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(PAGE)
                .bind("start", at(w.start()))
                .bind("end", at(w.end()))
                .bind("after", after)
                .bind("limit", limit)
                .map(STANDING)
                .list());
  }

  /**
   * The standings of some users in several windows, in one statement.
   *
   * @param h an open handle
   * @param windows the windows
   * @param userIds the users
   * @return per window, in the order asked, one standing per user who earned XP in it
   */
  public static Map<PeriodWindow, List<Standing>> of(
      Handle h, List<PeriodWindow> windows, List<Long> userIds) {
    var out = new LinkedHashMap<PeriodWindow, List<Standing>>();
    windows.forEach(w -> out.put(w, new ArrayList<>()));
    h.createQuery(IN_WINDOWS)
        .bind("window_starts", SqlArray.varchars(windows, w -> w.start().toString()))
        .bind("window_ends", SqlArray.varchars(windows, w -> w.end().toString()))
        .bind("window_users", SqlArray.bigints(userIds))
        .map((rs, ctx) -> Map.entry(windows.get(rs.getInt("window") - 1), STANDING.map(rs, ctx)))
        .forEach(e -> out.get(e.getKey()).add(e.getValue()));
    return out;
  }

  /**
   * An instant as a bind value PostgreSQL reads as timestamptz.
   *
   * @param instant the instant
   * @return the same instant at UTC offset
   */
  public static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
