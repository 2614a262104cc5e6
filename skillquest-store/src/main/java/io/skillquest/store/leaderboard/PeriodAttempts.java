package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.RoundTrip;
import io.skillquest.store.SqlArray;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

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

  private static final String OF_USERS =
      """
      SELECT user_id, sum(xp_awarded) AS xp, max(processed_at) AS reached_at FROM attempts
      WHERE user_id = ANY(:ids) AND processed_at >= :start AND processed_at < :end
        AND xp_awarded > 0
      GROUP BY user_id""";

  /**
   * Per-user sums in several windows in one statement, with the transaction's time (the windows an
   * award belongs to are those containing it). Binds {@code window_starts}, {@code window_ends} and
   * {@code window_users} ({@link #bindWindows}), names chosen so it can travel with the award's
   * other statements in one {@link RoundTrip}; read its answer with {@link #windowSums}.
   */
  public static final String IN_WINDOWS =
      """
      SELECT w.i AS window, a.user_id, sum(a.xp_awarded) AS xp, max(a.processed_at) AS reached_at,
             now() AS transaction_time
      FROM unnest(CAST(:window_starts AS timestamptz[]), CAST(:window_ends AS timestamptz[]))
           WITH ORDINALITY AS w(s, e, i)
      JOIN attempts a ON a.processed_at >= w.s AND a.processed_at < w.e
      WHERE a.user_id = ANY(:window_users) AND a.xp_awarded > 0
      GROUP BY w.i, a.user_id""";

  /**
   * Standings in several windows, read in one statement, and the transaction's time.
   *
   * @param transactionTime now() of the transaction that read them
   * @param standings per window, in the order asked; a window nobody earned in maps to an empty
   *     list
   */
  public record WindowSums(Instant transactionTime, Map<PeriodWindow, List<Standing>> standings) {}

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
   * The standings of some users in a window, read on {@code h} (inside the award transaction, so it
   * sees the awards just made).
   *
   * @param h an open handle
   * @param w the window
   * @param userIds the users
   * @return one standing per user who earned XP in the window
   */
  public static List<Standing> of(Handle h, PeriodWindow w, List<Long> userIds) {
    return h.createQuery(OF_USERS)
        .bind("ids", SqlArray.bigints(userIds))
        .bind("start", at(w.start()))
        .bind("end", at(w.end()))
        .map(STANDING)
        .list();
  }

  /**
   * The standings of some users in several windows and the transaction's time, in one round trip
   * (read inside the award transaction, so it sees the awards just made).
   *
   * @param h an open handle
   * @param windows the windows
   * @param userIds the users
   * @return empty when none of the users earned anything in any of the windows (the transaction's
   *     time is then unknown)
   */
  public static Optional<WindowSums> of(Handle h, List<PeriodWindow> windows, List<Long> userIds) {
    return RoundTrip.run(
        bindWindows(h.createQuery(IN_WINDOWS), windows, userIds), r -> windowSums(r, windows));
  }

  /** Binds {@link #IN_WINDOWS}: the windows and the users whose sums are wanted. */
  public static <S extends SqlStatement<S>> S bindWindows(
      S statement, List<PeriodWindow> windows, List<Long> userIds) {
    return statement
        .bind("window_starts", SqlArray.varchars(windows, w -> w.start().toString()))
        .bind("window_ends", SqlArray.varchars(windows, w -> w.end().toString()))
        .bind("window_users", SqlArray.bigints(userIds));
  }

  /**
   * Reads the answer of {@link #IN_WINDOWS}, the next in {@code results}.
   *
   * @param windows the windows bound, in order
   * @return empty when none of the users earned anything in any of the windows (the transaction's
   *     time is then unknown)
   */
  public static Optional<WindowSums> windowSums(
      RoundTrip.Results results, List<PeriodWindow> windows) throws SQLException {
    var out = new LinkedHashMap<PeriodWindow, List<Standing>>();
    windows.forEach(w -> out.put(w, new java.util.ArrayList<>()));
    Instant[] time = {null};
    results.list(
        (rs, ctx) -> {
          time[0] = rs.getObject("transaction_time", OffsetDateTime.class).toInstant();
          out.get(windows.get(rs.getInt("window") - 1)).add(STANDING.map(rs, ctx));
          return null;
        });
    return time[0] == null ? Optional.empty() : Optional.of(new WindowSums(time[0], out));
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
