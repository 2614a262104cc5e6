package io.skillquest.core.badge;

import io.skillquest.core.streak.FreezeRule;
import io.skillquest.core.streak.Streaks;
import io.skillquest.core.xp.Level;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything about one user that any badge condition can ask about, read once and evaluated against
 * all of the user's unearned badges.
 *
 * <p>The collections are copied into unmodifiable ones, so a {@code Facts} value never changes.
 *
 * @param totalXp the user's total XP, at least 0
 * @param attemptsByStatus the number of the user's attempts in each status; missing statuses count
 *     0
 * @param perfectScores the number of processed attempts that scored 100
 * @param passedByTag for each tag, the number of passed attempts on challenges carrying it
 * @param passedDays the calendar days, in the user's time zone, with at least one passed attempt
 * @param freezeRule the streak freeze rule that {@link #longestStreak()}, and so the {@code
 *     consecutive_days} condition, applies; the same rule the user's progress shows
 */
public record Facts(
    long totalXp,
    Map<AttemptStatus, Integer> attemptsByStatus,
    int perfectScores,
    Map<String, Integer> passedByTag,
    SortedSet<LocalDate> passedDays,
    FreezeRule freezeRule) {

  private static final Facts EMPTY = new Facts(0, Map.of(), 0, Map.of(), new TreeSet<>());

  /**
   * Validates and copies the components.
   *
   * @param totalXp the total XP
   * @param attemptsByStatus attempt counts by status
   * @param perfectScores the number of perfect scores
   * @param passedByTag passed attempts by tag
   * @param passedDays days with a passed attempt
   * @param freezeRule the streak freeze rule
   * @throws IllegalArgumentException if a number is negative
   * @throws NullPointerException if a collection, key or value is null
   */
  public Facts {
    Objects.requireNonNull(freezeRule, "freezeRule");
    if (totalXp < 0) {
      throw new IllegalArgumentException("total XP must not be negative: " + totalXp);
    }
    if (perfectScores < 0) {
      throw new IllegalArgumentException("perfect scores must not be negative: " + perfectScores);
    }
    attemptsByStatus.forEach(
        (status, n) -> requireCount(Objects.requireNonNull(status, "status"), n));
    passedByTag.forEach((tag, n) -> requireCount(Objects.requireNonNull(tag, "tag"), n));
    attemptsByStatus =
        attemptsByStatus.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new EnumMap<>(attemptsByStatus));
    passedByTag = Map.copyOf(passedByTag);
    // a fresh natural-order set, whatever comparator the caller's set had
    var days = new TreeSet<LocalDate>();
    for (LocalDate day : passedDays) {
      days.add(Objects.requireNonNull(day, "passed day"));
    }
    passedDays = Collections.unmodifiableSortedSet(days);
  }

  /**
   * Facts under the default streak freeze rule, {@link FreezeRule#DEFAULT}.
   *
   * @param totalXp the total XP
   * @param attemptsByStatus attempt counts by status
   * @param perfectScores the number of perfect scores
   * @param passedByTag passed attempts by tag
   * @param passedDays days with a passed attempt
   * @throws IllegalArgumentException if a number is negative
   * @throws NullPointerException if a collection, key or value is null
   */
  public Facts(
      long totalXp,
      Map<AttemptStatus, Integer> attemptsByStatus,
      int perfectScores,
      Map<String, Integer> passedByTag,
      SortedSet<LocalDate> passedDays) {
    this(totalXp, attemptsByStatus, perfectScores, passedByTag, passedDays, FreezeRule.DEFAULT);
  }

  /**
   * The same facts under another streak freeze rule.
   *
   * @param rule the rule
   * @return a copy with {@link #freezeRule()} replaced
   */
  public Facts withFreezeRule(FreezeRule rule) {
    return new Facts(totalXp, attemptsByStatus, perfectScores, passedByTag, passedDays, rule);
  }

  /**
   * Facts for a user who has done nothing yet.
   *
   * @return facts with no XP, attempts or days
   */
  public static Facts empty() {
    return EMPTY;
  }

  /**
   * The facts once one of the user's submitted attempts is settled: it counts in its new status
   * instead of as submitted, as a perfect score when it scored 100, and, when it passed, once for
   * each of its challenge's tags and on its day. The total XP is left as it is: the caller's total
   * already holds what the attempt paid.
   *
   * @param status the attempt's new status, {@link AttemptStatus#PASSED} or {@link
   *     AttemptStatus#FAILED}
   * @param score the attempt's score
   * @param tags the tags of its challenge, each counted as often as it is listed
   * @param day the calendar day, in the user's time zone, a pass counts on
   * @return the facts after the attempt
   * @throws IllegalArgumentException if {@code status} is not a processed one
   * @throws NullPointerException if {@code tags}, a tag or {@code day} is null
   */
  public Facts withSettled(
      AttemptStatus status, int score, Collection<String> tags, LocalDate day) {
    if (!status.processed()) {
      throw new IllegalArgumentException(
          "an attempt is settled as passed or failed, not " + status);
    }
    var byStatus = new EnumMap<AttemptStatus, Integer>(AttemptStatus.class);
    byStatus.putAll(attemptsByStatus);
    // counted as submitted until now; a caller that never counted it has nothing to take back
    byStatus.computeIfPresent(AttemptStatus.SUBMITTED, (s, n) -> n > 1 ? n - 1 : null);
    byStatus.merge(status, 1, Integer::sum);
    var byTag = new HashMap<>(passedByTag);
    var days = new TreeSet<>(passedDays);
    if (status == AttemptStatus.PASSED) {
      tags.forEach(tag -> byTag.merge(tag, 1, Integer::sum));
      days.add(Objects.requireNonNull(day, "day"));
    }
    return new Facts(
        totalXp, byStatus, perfectScores + (score == 100 ? 1 : 0), byTag, days, freezeRule);
  }

  /**
   * The user's level.
   *
   * @return {@link Level#levelFor(long)} of the total XP
   */
  public int level() {
    return Level.levelFor(totalXp);
  }

  /**
   * The number of attempts in one status.
   *
   * @param status the status
   * @return the count, 0 when absent
   */
  public int attempts(AttemptStatus status) {
    return attemptsByStatus.getOrDefault(status, 0);
  }

  /**
   * The number of processed attempts, passed or failed.
   *
   * @return the count, saturated at {@link Integer#MAX_VALUE}
   */
  public int processedAttempts() {
    return (int)
        Math.min(
            Integer.MAX_VALUE,
            (long) attempts(AttemptStatus.PASSED) + attempts(AttemptStatus.FAILED));
  }

  /**
   * The number of passed attempts on challenges with a tag.
   *
   * @param tag the tag, matched exactly
   * @return the count, 0 when absent
   */
  public int passedWithTag(String tag) {
    return passedByTag.getOrDefault(tag, 0);
  }

  /**
   * The longest streak of days with a passed attempt, missed days bridged by freezes under {@link
   * #freezeRule()} but never counted.
   *
   * @return {@link Streaks#longest(java.util.Collection, FreezeRule)} of {@link #passedDays()}
   */
  public int longestStreak() {
    return Streaks.longest(passedDays, freezeRule);
  }

  /**
   * The number of different days with a passed attempt.
   *
   * @return the size of {@link #passedDays()}
   */
  public int distinctDays() {
    return passedDays.size();
  }

  private static void requireCount(Object key, Integer n) {
    if (Objects.requireNonNull(n, "count") < 0) {
      throw new IllegalArgumentException("count for " + key + " must not be negative: " + n);
    }
  }
}
