package io.skillquest.core.streak;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A user's streaks of consecutive calendar days with activity.
 *
 * <p>Without freezes ({@link #of(Collection, LocalDate)}) a streak is a run of consecutive active
 * days. With a {@link FreezeRule} ({@link #of(Collection, LocalDate, FreezeRule)}) held freezes
 * bridge missed days; a bridged (frozen) day keeps the streak alive but is not counted, so both
 * {@code current} and {@code longest} count active days only.
 *
 * @param current the streak ending today, or ending yesterday when today has no activity yet (the
 *     streak is still alive until today ends); 0 otherwise
 * @param longest the longest streak ever
 * @param distinctDays the number of different days with activity
 * @param freezes the streak freezes held as of today; 0 without freezes
 */
public record Streaks(int current, int longest, int distinctDays, int freezes) {

  /**
   * Checks the values are ordered as streaks must be.
   *
   * @param current the current streak
   * @param longest the longest streak
   * @param distinctDays the number of active days
   * @param freezes the freezes held
   * @throws IllegalArgumentException unless {@code 0 <= current <= longest <= distinctDays} and
   *     {@code freezes >= 0}
   */
  public Streaks {
    if (freezes < 0) {
      throw new IllegalArgumentException("freezes must not be negative: " + freezes);
    }
    if (current < 0 || current > longest || longest > distinctDays) {
      throw new IllegalArgumentException(
          "streaks must satisfy 0 <= current <= longest <= distinctDays: "
              + current
              + ", "
              + longest
              + ", "
              + distinctDays);
    }
  }

  /**
   * Streaks without freezes.
   *
   * @param current the current streak
   * @param longest the longest streak
   * @param distinctDays the number of active days
   * @throws IllegalArgumentException unless {@code 0 <= current <= longest <= distinctDays}
   */
  public Streaks(int current, int longest, int distinctDays) {
    this(current, longest, distinctDays, 0);
  }

  /**
   * Streaks for a set of active days, without freezes: any missed day breaks a streak.
   *
   * @param days the active days, in any order, duplicates allowed
   * @param today the current date in the same time zone as {@code days}; days after it count
   *     towards {@code longest} and {@code distinctDays} but cannot extend {@code current}
   * @return the streaks
   */
  public static Streaks of(Collection<LocalDate> days, LocalDate today) {
    Objects.requireNonNull(today, "today");
    SortedSet<LocalDate> sorted = sorted(days);
    LocalDate end = sorted.contains(today) ? today : today.minusDays(1);
    int current = 0;
    for (LocalDate day = end; sorted.contains(day); day = day.minusDays(1)) {
      current++;
    }
    return new Streaks(current, longestRun(sorted), sorted.size());
  }

  /**
   * Streaks for a set of active days under a freeze rule.
   *
   * <p>Today is not over, so not having played today yet neither breaks the streak nor uses a
   * freeze; every earlier day without activity is missed, and is bridged only while freezes last
   * (see {@link FreezeRule}). With {@link FreezeRule#OFF} the result equals {@link #of(Collection,
   * LocalDate)}.
   *
   * @param days the active days, in any order, duplicates allowed
   * @param today the current date in the same time zone as {@code days}; days after it count
   *     towards {@code longest} and {@code distinctDays} but not towards {@code current} or {@code
   *     freezes}
   * @param rule the freeze rule
   * @return the streaks, with the freezes held as of today
   */
  public static Streaks of(Collection<LocalDate> days, LocalDate today, FreezeRule rule) {
    Objects.requireNonNull(today, "today");
    Objects.requireNonNull(rule, "rule");
    SortedSet<LocalDate> sorted = sorted(days);
    var untilToday = new StreakWalk(rule);
    for (LocalDate day : sorted) {
      if (day.isAfter(today)) {
        break;
      }
      untilToday.play(day);
    }
    untilToday.endBefore(today);
    return new Streaks(
        untilToday.run(), walk(sorted, rule).longest(), sorted.size(), untilToday.held());
  }

  /**
   * The longest streak under a freeze rule: frozen days bridge runs but are not counted.
   *
   * @param days the days, in any order, duplicates allowed
   * @param rule the freeze rule
   * @return the longest streak, 0 for no days; with {@link FreezeRule#OFF} equal to {@link
   *     #longest(Collection)}
   */
  public static int longest(Collection<LocalDate> days, FreezeRule rule) {
    Objects.requireNonNull(rule, "rule");
    return walk(sorted(days), rule).longest();
  }

  private static StreakWalk walk(SortedSet<LocalDate> sorted, FreezeRule rule) {
    var walk = new StreakWalk(rule);
    sorted.forEach(walk::play);
    return walk;
  }

  /**
   * The calendar days on which instants fall in a time zone.
   *
   * @param instants the instants, e.g. when attempts passed
   * @param zone the user's time zone
   * @return the distinct days, ascending; unmodifiable
   */
  public static SortedSet<LocalDate> days(Collection<Instant> instants, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    var days = new TreeSet<LocalDate>();
    for (Instant instant : instants) {
      days.add(LocalDate.ofInstant(instant, zone));
    }
    return Collections.unmodifiableSortedSet(days);
  }

  /**
   * The longest run of consecutive days.
   *
   * @param days the days, in any order, duplicates allowed
   * @return the length of the longest run, 0 for no days
   */
  public static int longest(Collection<LocalDate> days) {
    return longestRun(sorted(days));
  }

  private static int longestRun(SortedSet<LocalDate> sorted) {
    int longest = 0;
    int run = 0;
    LocalDate previous = null;
    for (LocalDate day : sorted) {
      // plusDays works on the calendar, so month ends, year ends and Feb 29 need no special case
      run = previous != null && previous.plusDays(1).equals(day) ? run + 1 : 1;
      longest = Math.max(longest, run);
      previous = day;
    }
    return longest;
  }

  private static SortedSet<LocalDate> sorted(Collection<LocalDate> days) {
    // reuse only a natural-order set; one with a custom comparator could order days differently
    if (days instanceof SortedSet<LocalDate> s && s.comparator() == null) {
      return s;
    }
    var sorted = new TreeSet<LocalDate>();
    for (LocalDate day : days) {
      sorted.add(Objects.requireNonNull(day, "day"));
    }
    return sorted;
  }
}
