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
 * @param current the run of consecutive days ending today, or ending yesterday when today has no
 *     activity yet (the streak is still alive until today ends); 0 otherwise
 * @param longest the longest run of consecutive days ever
 * @param distinctDays the number of different days with activity
 */
public record Streaks(int current, int longest, int distinctDays) {

  /**
   * Checks the values are ordered as streaks must be.
   *
   * @param current the current streak
   * @param longest the longest streak
   * @param distinctDays the number of active days
   * @throws IllegalArgumentException unless {@code 0 <= current <= longest <= distinctDays}
   */
  public Streaks {
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
   * Streaks for a set of active days.
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
