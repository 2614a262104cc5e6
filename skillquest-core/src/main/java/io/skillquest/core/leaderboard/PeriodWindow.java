package io.skillquest.core.leaderboard;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One concrete day, ISO week or month in a time zone, e.g. the week of 2026-11-30 in Europe/Paris.
 *
 * <p>Boundaries are local midnights ({@link LocalDate#atStartOfDay(ZoneId)}), never multiples of 24
 * hours, so a day is 23 or 25 hours long across a DST change and a zone whose midnight is skipped
 * starts its day at the first valid instant. Weeks start on Monday, as in ISO 8601.
 *
 * @param period the kind of window: {@link Period#DAY}, {@link Period#WEEK} or {@link Period#MONTH}
 * @param firstDay the window's first date: any date for a day, a Monday for a week, the 1st for a
 *     month
 * @param zone the time zone whose calendar the window follows
 */
public record PeriodWindow(Period period, LocalDate firstDay, ZoneId zone) {

  private static final Pattern ID =
      Pattern.compile(
          "(day):(\\d{4}-\\d{2}-\\d{2})|(week):(\\d{4})-W(\\d{2})|(month):(\\d{4}-\\d{2})");

  /**
   * Validates the window.
   *
   * @param period the kind of window
   * @param firstDay its first date
   * @param zone its time zone
   * @throws IllegalArgumentException if the period is {@link Period#ALL} or the first day does not
   *     start a window of that period
   */
  public PeriodWindow {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(firstDay, "firstDay");
    Objects.requireNonNull(zone, "zone");
    if (!period.windowed()) {
      throw new IllegalArgumentException("the all-time period has no windows");
    }
    if (!firstDayOf(period, firstDay).equals(firstDay)) {
      throw new IllegalArgumentException(firstDay + " does not start a " + period.wireName());
    }
  }

  /**
   * The window of a period containing a date.
   *
   * @param period day, week or month
   * @param date any date
   * @param zone the time zone
   * @return the window containing {@code date}
   * @throws IllegalArgumentException for {@link Period#ALL}
   */
  public static PeriodWindow containing(Period period, LocalDate date, ZoneId zone) {
    return new PeriodWindow(period, firstDayOf(period, date), zone);
  }

  /**
   * The window of a period containing an instant, by the instant's local date in the zone.
   *
   * @param period day, week or month
   * @param instant any instant
   * @param zone the time zone
   * @return the window containing {@code instant}
   * @throws IllegalArgumentException for {@link Period#ALL}
   */
  public static PeriodWindow containing(Period period, Instant instant, ZoneId zone) {
    return containing(period, LocalDate.ofInstant(instant, zone), zone);
  }

  /**
   * Parses an {@link #id()}.
   *
   * @param id e.g. {@code day:2026-11-30}, {@code week:2026-W49} or {@code month:2026-11}
   * @param zone the time zone the window belongs to (ids do not name it)
   * @return the window
   * @throws IllegalArgumentException if the text is not a window id
   */
  public static PeriodWindow parse(String id, ZoneId zone) {
    var m = ID.matcher(Objects.requireNonNull(id, "id"));
    try {
      if (m.matches()) {
        if (m.group(1) != null) {
          return containing(Period.DAY, LocalDate.parse(m.group(2)), zone);
        }
        if (m.group(3) != null) {
          int year = Integer.parseInt(m.group(4));
          int week = Integer.parseInt(m.group(5));
          // the Thursday of ISO week 1 is always in its week-based year
          LocalDate jan4 = LocalDate.of(year, 1, 4);
          if (week >= 1 && week <= jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
            return containing(
                Period.WEEK, jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week), zone);
          }
        }
        if (m.group(6) != null) {
          return containing(Period.MONTH, LocalDate.parse(m.group(7) + "-01"), zone);
        }
      }
    } catch (DateTimeParseException e) {
      // falls through to the common message
    }
    throw new IllegalArgumentException("not a period window id: '" + Shown.text(id) + "'");
  }

  /**
   * A stable name for the window, usable in a Redis key or a database column: {@code
   * day:2026-11-30}, {@code week:2026-W49} (ISO week-based year and week number) or {@code
   * month:2026-11}. It does not include the zone.
   *
   * @return the id
   */
  public String id() {
    // every period board read names its window: String.format would cost more than the read
    return switch (period) {
      case DAY -> "day:" + firstDay;
      case WEEK ->
          "week:"
              + digits(firstDay.get(IsoFields.WEEK_BASED_YEAR), 4)
              + "-W"
              + digits(firstDay.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
      case MONTH ->
          "month:" + digits(firstDay.getYear(), 4) + "-" + digits(firstDay.getMonthValue(), 2);
      case ALL -> throw new AssertionError(period);
    };
  }

  /** {@code value} zero-padded to {@code width} digits, as {@code %0<width>d} would print it. */
  private static String digits(int value, int width) {
    var s = Integer.toString(value);
    return s.length() >= width || value < 0 ? s : "0".repeat(width - s.length()) + s;
  }

  /**
   * The window's last date.
   *
   * @return the last date inside the window
   */
  public LocalDate lastDay() {
    return next().firstDay.minusDays(1);
  }

  /**
   * The first instant of the window: local midnight of its first day (or the first valid instant of
   * that day when midnight is skipped by a DST change).
   *
   * @return the start, inclusive
   */
  public Instant start() {
    return firstDay.atStartOfDay(zone).toInstant();
  }

  /**
   * The first instant after the window, which is the next window's {@link #start()}.
   *
   * @return the end, exclusive
   */
  public Instant end() {
    return next().start();
  }

  /**
   * Whether an instant falls in the window.
   *
   * @param instant the instant
   * @return {@code true} when {@code start() <= instant < end()}
   */
  public boolean contains(Instant instant) {
    return !instant.isBefore(start()) && instant.isBefore(end());
  }

  /**
   * The window right after this one.
   *
   * @return the next window
   */
  public PeriodWindow next() {
    return plus(1);
  }

  /**
   * The window right before this one.
   *
   * @return the previous window
   */
  public PeriodWindow previous() {
    return plus(-1);
  }

  /**
   * The window a number of windows away.
   *
   * @param windows how many windows later (negative for earlier)
   * @return that window
   */
  public PeriodWindow plus(long windows) {
    LocalDate first =
        switch (period) {
          case DAY -> firstDay.plusDays(windows);
          case WEEK -> firstDay.plusWeeks(windows);
          case MONTH -> firstDay.plusMonths(windows);
          case ALL -> throw new AssertionError(period);
        };
    return new PeriodWindow(period, first, zone);
  }

  /**
   * How many windows this one lies before another of the same period.
   *
   * @param later a window of the same period and zone
   * @return 0 for the same window, 1 for the previous one, ...; negative when {@code later} is
   *     earlier
   * @throws IllegalArgumentException if the periods or zones differ
   */
  public long windowsBefore(PeriodWindow later) {
    if (later.period != period || !later.zone.equals(zone)) {
      throw new IllegalArgumentException(
          "windows of different periods or zones: " + this + ", " + later);
    }
    ChronoUnit unit =
        switch (period) {
          case DAY -> ChronoUnit.DAYS;
          case WEEK -> ChronoUnit.WEEKS;
          case MONTH -> ChronoUnit.MONTHS;
          case ALL -> throw new AssertionError(period);
        };
    return unit.between(firstDay, later.firstDay);
  }

  /**
   * Whether the window is kept at a moment: it is the current window or one of the {@code
   * retention} windows before it. Future windows are not kept (there is nothing to read yet).
   *
   * @param now the moment, usually the current time
   * @param retention how many finished windows are kept, e.g. {@link Period#defaultRetention()}
   * @return {@code true} while the window may be read
   * @throws IllegalArgumentException if {@code retention} is negative
   */
  public boolean retainedAt(Instant now, int retention) {
    requireRetention(retention);
    long back = windowsBefore(containing(period, now, zone));
    return back >= 0 && back <= retention;
  }

  /**
   * The instant from which the window is no longer kept: the end of the {@code retention}-th window
   * after it. Suitable as a Redis {@code EXPIREAT}.
   *
   * @param retention how many finished windows are kept
   * @return the first instant at which {@link #retainedAt} is {@code false}
   * @throws IllegalArgumentException if {@code retention} is negative
   */
  public Instant retainedUntil(int retention) {
    requireRetention(retention);
    return plus(retention).end();
  }

  private static void requireRetention(int retention) {
    if (retention < 0) {
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    }
  }

  private static LocalDate firstDayOf(Period period, LocalDate date) {
    return switch (period) {
      case DAY -> date;
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
      case ALL -> throw new IllegalArgumentException("the all-time period has no windows");
    };
  }
}
