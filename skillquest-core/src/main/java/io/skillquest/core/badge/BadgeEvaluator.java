package io.skillquest.core.badge;

import io.skillquest.core.badge.Condition.AllOf;
import io.skillquest.core.badge.Condition.AnyOf;
import io.skillquest.core.badge.Condition.AttemptCount;
import io.skillquest.core.badge.Condition.ConsecutiveDays;
import io.skillquest.core.badge.Condition.DistinctDays;
import io.skillquest.core.badge.Condition.LevelAtLeast;
import io.skillquest.core.badge.Condition.PerfectScores;
import io.skillquest.core.badge.Condition.TagPassed;
import io.skillquest.core.badge.Condition.Xp;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which badges a user has earned, from one {@link Facts} value.
 *
 * <p>Pure and stateless: it reads nothing but its arguments, so the caller controls how facts are
 * loaded (a fixed number of queries) and evaluation cost grows only with the size of the
 * conditions.
 */
public final class BadgeEvaluator {

  private BadgeEvaluator() {}

  /**
   * The candidates whose conditions the facts satisfy, in one pass.
   *
   * @param candidates conditions keyed by anything identifying a badge, typically its id
   * @param facts the user's facts
   * @param <K> the badge key type
   * @return the keys of the satisfied conditions, in the candidates' iteration order; unmodifiable
   */
  public static <K> Set<K> earned(Map<K, Condition> candidates, Facts facts) {
    var evaluation = new Evaluation(Objects.requireNonNull(facts, "facts"));
    var earned = new LinkedHashSet<K>();
    candidates.forEach(
        (badge, condition) -> {
          if (evaluation.test(Objects.requireNonNull(condition, "condition"))) {
            earned.add(badge);
          }
        });
    return Collections.unmodifiableSet(earned);
  }

  /**
   * Tells whether facts satisfy one condition.
   *
   * @param condition the condition
   * @param facts the user's facts
   * @return {@code true} when the condition holds
   */
  public static boolean satisfied(Condition condition, Facts facts) {
    return new Evaluation(Objects.requireNonNull(facts, "facts"))
        .test(Objects.requireNonNull(condition, "condition"));
  }

  /** One user's evaluation; derived facts are computed once however many conditions need them. */
  private static final class Evaluation {
    private final Facts facts;
    private int longestStreak = -1;

    Evaluation(Facts facts) {
      this.facts = facts;
    }

    boolean test(Condition condition) {
      if (condition instanceof Xp c) {
        return facts.totalXp() >= c.threshold();
      } else if (condition instanceof AttemptCount c) {
        int n = c.status().map(facts::attempts).orElseGet(facts::processedAttempts);
        return n >= c.count();
      } else if (condition instanceof ConsecutiveDays c) {
        return longestStreak() >= c.days();
      } else if (condition instanceof DistinctDays c) {
        return facts.distinctDays() >= c.days();
      } else if (condition instanceof LevelAtLeast c) {
        return facts.level() >= c.level();
      } else if (condition instanceof PerfectScores c) {
        return facts.perfectScores() >= c.count();
      } else if (condition instanceof TagPassed c) {
        return facts.passedWithTag(c.tag()) >= c.count();
      } else if (condition instanceof AllOf c) {
        return c.conditions().stream().allMatch(this::test);
      } else if (condition instanceof AnyOf c) {
        return c.conditions().stream().anyMatch(this::test);
      }
      throw new AssertionError("unhandled condition " + condition);
    }

    private int longestStreak() {
      if (longestStreak < 0) {
        longestStreak = facts.longestStreak();
      }
      return longestStreak;
    }
  }
}
