package io.skillquest.core.leaderboard;

/**
 * The span of XP a board ranks: all of it, or what was earned in one calendar day, ISO week (Monday
 * to Sunday) or month of the board's time zone. See {@link PeriodWindow} for one concrete day, week
 * or month.
 */
public enum Period {
  /** All XP ever earned: the all-time board. It has no windows and no retention. */
  ALL("all", 0),
  /** One calendar day; by default the last 60 finished days are kept. */
  DAY("day", 60),
  /** One ISO week, Monday to Sunday; by default the last 52 finished weeks are kept. */
  WEEK("week", 52),
  /** One calendar month; by default the last 24 finished months are kept. */
  MONTH("month", 24);

  private static final String ALLOWED = "all, day, week, month";

  private final String wireName;
  private final int defaultRetention;

  Period(String wireName, int defaultRetention) {
    this.wireName = wireName;
    this.defaultRetention = defaultRetention;
  }

  /**
   * The name used in query parameters, JSON and key names.
   *
   * @return {@code all}, {@code day}, {@code week} or {@code month}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether the period is split into windows (every period but {@link #ALL}).
   *
   * @return {@code true} for day, week and month
   */
  public boolean windowed() {
    return this != ALL;
  }

  /**
   * How many finished windows are kept by default (see {@link PeriodWindow#retainedAt}).
   *
   * @return 60 for days, 52 for weeks, 24 for months, 0 for {@link #ALL}
   */
  public int defaultRetention() {
    return defaultRetention;
  }

  /**
   * Parses a query parameter.
   *
   * @param value the parameter, or {@code null} when absent
   * @return the period; {@link #ALL} when {@code value} is {@code null}
   * @throws IllegalArgumentException if the value is none of the wire names; the message names the
   *     allowed ones
   */
  public static Period parse(String value) {
    if (value == null) {
      return ALL;
    }
    for (Period p : values()) {
      if (p.wireName.equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "period must be one of " + ALLOWED + ", not '" + Shown.text(value) + "'");
  }
}
