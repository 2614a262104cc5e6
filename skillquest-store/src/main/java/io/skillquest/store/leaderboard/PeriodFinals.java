package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.store.SqlArray;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the final standings of finished windows to PostgreSQL, once each, and drops those past
 * retention.
 *
 * <p>A window is final once it ended plus the grace (late awards processed in the grace still count
 * for the window they were processed in, by {@code processed_at}). The standings are computed from
 * {@code attempts}, the source of truth, not from Redis. Two workers may race: each inserts the
 * window's {@code period_finals} row first, in its own transaction, with ON CONFLICT DO NOTHING;
 * the loser's insert waits for the winner's commit, then inserts nothing, and it writes no
 * standings. So every window has exactly one result.
 */
public final class PeriodFinals {

  private static final Logger log = LoggerFactory.getLogger(PeriodFinals.class);

  /** Windows looked back at most per period, so a fresh deployment's first pass stays bounded. */
  private static final int MAX_LOOKBACK = 400;

  private static final String CLAIM =
      """
      INSERT INTO period_finals (period, window_id, first_day) VALUES (:period, :id, :firstDay)
      ON CONFLICT DO NOTHING""";

  private static final String WRITE =
      "INSERT INTO period_standings (period, window_id, user_id, position, xp, reached_at)"
          + " SELECT :period, :id, user_id, row_number() OVER (ORDER BY "
          + PeriodAttempts.ORDER
          + "), xp, reached_at FROM ("
          + PeriodAttempts.SUMS
          + ") s";

  private final Jdbi jdbi;
  private final PeriodSettings settings;

  public PeriodFinals(Jdbi jdbi, PeriodSettings settings) {
    this.jdbi = jdbi;
    this.settings = settings;
  }

  /**
   * Finalises every retained window of every period that ended at least the grace before {@code
   * now} and has no final standings yet, oldest first, then deletes windows past retention.
   *
   * @param now the current time
   * @return the windows this call finalised
   */
  public List<PeriodWindow> finaliseDue(Instant now) {
    var done = new ArrayList<PeriodWindow>();
    for (var period : Period.values()) {
      if (!period.windowed()) {
        continue;
      }
      int retention = settings.retention(period);
      var current = PeriodWindow.containing(period, now, settings.zone());
      var due = new ArrayList<PeriodWindow>();
      for (int back = 1; back <= Math.min(retention, MAX_LOOKBACK); back++) {
        var w = current.plus(-back);
        if (!w.end().plus(settings.grace()).isAfter(now)) {
          due.add(0, w);
        }
      }
      var ids = due.stream().map(PeriodWindow::id).toList();
      var finalised =
          new HashSet<>(
              jdbi.withHandle(
                  h ->
                      h.createQuery(
                              "SELECT window_id FROM period_finals"
                                  + " WHERE period = :period AND window_id = ANY(:ids)")
                          .bind("period", period.wireName())
                          .bind("ids", SqlArray.varchars(ids))
                          .mapTo(String.class)
                          .list()));
      for (var w : due) {
        if (!finalised.contains(w.id()) && finalise(w)) {
          done.add(w);
        }
      }
      var oldestKept = current.plus(-retention).firstDay();
      jdbi.useHandle(
          h ->
              h.createUpdate("DELETE FROM period_finals WHERE period = :period AND first_day < :d")
                  .bind("period", period.wireName())
                  .bind("d", oldestKept)
                  .execute());
    }
    return done;
  }

  /**
   * Writes one window's final standings unless another process already did.
   *
   * @param w the window, which must have ended
   * @return true if this call wrote them
   */
  public boolean finalise(PeriodWindow w) {
    int written =
        jdbi.inTransaction(
            h -> {
              int claimed =
                  h.createUpdate(CLAIM)
                      .bind("period", w.period().wireName())
                      .bind("id", w.id())
                      .bind("firstDay", w.firstDay())
                      .execute();
              if (claimed == 0) {
                return -1;
              }
              return h.createUpdate(WRITE)
                  .bind("period", w.period().wireName())
                  .bind("id", w.id())
                  .bind("start", PeriodAttempts.at(w.start()))
                  .bind("end", PeriodAttempts.at(w.end()))
                  .execute();
            });
    if (written > 0) {
      log.info("final standings written for {}: {} users", w.id(), written);
    } else if (written == 0) {
      // a fresh install finalises every retained window it predates: say nothing of those
      log.debug("final standings written for {}: nobody earned XP", w.id());
    }
    return written >= 0;
  }
}
