package io.skillquest.core.badge;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.badge.Condition.AllOf;
import io.skillquest.core.badge.Condition.AnyOf;
import io.skillquest.core.badge.Condition.AttemptCount;
import io.skillquest.core.badge.Condition.ConsecutiveDays;
import io.skillquest.core.badge.Condition.DistinctDays;
import io.skillquest.core.badge.Condition.LevelAtLeast;
import io.skillquest.core.badge.Condition.PerfectScores;
import io.skillquest.core.badge.Condition.TagPassed;
import io.skillquest.core.badge.Condition.Xp;
import io.skillquest.core.streak.FreezeRule;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BadgeEvaluatorTest {

  private static final LocalDate D = LocalDate.of(2026, 3, 1);

  /**
   * 1000 XP, 4 passed + 2 failed + 1 submitted, 2 perfect, 3 java passes, days: a run of 3 and a
   * lone day.
   */
  private static final Facts FACTS =
      new Facts(
          1000,
          Map.of(AttemptStatus.PASSED, 4, AttemptStatus.FAILED, 2, AttemptStatus.SUBMITTED, 1),
          2,
          Map.of("java", 3, "sql", 1),
          new TreeSet<>(List.of(D, D.plusDays(1), D.plusDays(2), D.plusDays(10))));

  @Test
  void xpThresholdIsInclusive() {
    assertThat(BadgeEvaluator.satisfied(new Xp(1000), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new Xp(1001), FACTS)).isFalse();
  }

  @Test
  void attemptCountWithoutStatusCountsProcessedAttemptsOnly() {
    assertThat(BadgeEvaluator.satisfied(new AttemptCount(6, Optional.empty()), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new AttemptCount(7, Optional.empty()), FACTS)).isFalse();
  }

  @Test
  void attemptCountWithStatusCountsThatStatus() {
    assertThat(
            BadgeEvaluator.satisfied(new AttemptCount(4, Optional.of(AttemptStatus.PASSED)), FACTS))
        .isTrue();
    assertThat(
            BadgeEvaluator.satisfied(new AttemptCount(5, Optional.of(AttemptStatus.PASSED)), FACTS))
        .isFalse();
    assertThat(
            BadgeEvaluator.satisfied(new AttemptCount(2, Optional.of(AttemptStatus.FAILED)), FACTS))
        .isTrue();
    assertThat(
            BadgeEvaluator.satisfied(
                new AttemptCount(1, Optional.of(AttemptStatus.SUBMITTED)), FACTS))
        .isTrue();
    assertThat(
            BadgeEvaluator.satisfied(
                new AttemptCount(1, Optional.of(AttemptStatus.STARTED)), FACTS))
        .isFalse();
  }

  @Test
  void consecutiveDaysUsesTheLongestRun() {
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(3), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(4), FACTS)).isFalse();
  }

  @Test
  void distinctDaysCountsEveryDayWithAPass() {
    assertThat(BadgeEvaluator.satisfied(new DistinctDays(4), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new DistinctDays(5), FACTS)).isFalse();
  }

  @Test
  void levelComesFromTotalXp() {
    // 1000 XP is level 4 (900..1599)
    assertThat(BadgeEvaluator.satisfied(new LevelAtLeast(4), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new LevelAtLeast(5), FACTS)).isFalse();
  }

  @Test
  void perfectScoresAndTagsAreCounted() {
    assertThat(BadgeEvaluator.satisfied(new PerfectScores(2), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new PerfectScores(3), FACTS)).isFalse();
    assertThat(BadgeEvaluator.satisfied(new TagPassed("java", 3), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new TagPassed("java", 4), FACTS)).isFalse();
    assertThat(BadgeEvaluator.satisfied(new TagPassed("Java", 1), FACTS)).isFalse();
    assertThat(BadgeEvaluator.satisfied(new TagPassed("rust", 1), FACTS)).isFalse();
  }

  @Test
  void allOfNeedsEveryChildAndAnyOfOne() {
    Condition yes = new Xp(1);
    Condition no = new Xp(2000);
    assertThat(BadgeEvaluator.satisfied(new AllOf(List.of(yes, yes)), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new AllOf(List.of(yes, no)), FACTS)).isFalse();
    assertThat(BadgeEvaluator.satisfied(new AnyOf(List.of(no, yes)), FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new AnyOf(List.of(no, no)), FACTS)).isFalse();
  }

  @Test
  void deepNestingEvaluatesCorrectly() {
    Condition c = new TagPassed("java", 3);
    for (int i = 1; i < Condition.MAX_DEPTH; i++) {
      c = i % 2 == 0 ? new AllOf(List.of(c, new Xp(1))) : new AnyOf(List.of(new Xp(9999), c));
    }
    assertThat(c.depth()).isEqualTo(Condition.MAX_DEPTH);
    assertThat(BadgeEvaluator.satisfied(c, FACTS)).isTrue();
    assertThat(BadgeEvaluator.satisfied(c, Facts.empty())).isFalse();
  }

  @Test
  void emptyFactsEarnOnlyLevelOne() {
    var candidates = new LinkedHashMap<String, Condition>();
    candidates.put("level-1", new LevelAtLeast(1));
    candidates.put("xp-1", new Xp(1));
    candidates.put("one-attempt", new AttemptCount(1, Optional.empty()));
    candidates.put("streak", new ConsecutiveDays(1));
    candidates.put("days", new DistinctDays(1));
    candidates.put("perfect", new PerfectScores(1));
    candidates.put("java", new TagPassed("java", 1));
    assertThat(BadgeEvaluator.earned(candidates, Facts.empty())).containsExactly("level-1");
  }

  @Test
  void earnedDecidesEveryCandidateInOnePassKeepingOrder() {
    var candidates = new LinkedHashMap<Long, Condition>();
    candidates.put(30L, new Xp(500));
    candidates.put(10L, new Xp(5000));
    candidates.put(20L, new AllOf(List.of(new ConsecutiveDays(3), new PerfectScores(2))));
    candidates.put(40L, new AnyOf(List.of(new LevelAtLeast(10), new TagPassed("sql", 1))));
    assertThat(BadgeEvaluator.earned(candidates, FACTS)).containsExactly(30L, 20L, 40L);
    assertThat(BadgeEvaluator.earned(Map.of(), FACTS)).isEmpty();
  }

  @Test
  void factsAreCopiedAndDerived() {
    var byStatus = new EnumMap<AttemptStatus, Integer>(AttemptStatus.class);
    byStatus.put(AttemptStatus.PASSED, 1);
    var days = new TreeSet<LocalDate>(java.util.Comparator.reverseOrder());
    days.add(D);
    days.add(D.plusDays(1));
    Facts facts = new Facts(100, byStatus, 0, Map.of(), days);
    byStatus.put(AttemptStatus.PASSED, 99);
    days.add(D.plusDays(2));
    assertThat(facts.attempts(AttemptStatus.PASSED)).isEqualTo(1);
    assertThat(facts.passedDays()).containsExactly(D, D.plusDays(1));
    assertThat(facts.level()).isEqualTo(2);
    assertThat(facts.longestStreak()).isEqualTo(2);
    assertThat(facts.distinctDays()).isEqualTo(2);
    assertThat(facts.processedAttempts()).isEqualTo(1);
    assertThat(Facts.empty().level()).isEqualTo(1);
    assertThat(Facts.empty().processedAttempts()).isZero();
    assertThat(Facts.empty().longestStreak()).isZero();
  }

  @Test
  void processedAttemptsSaturateInsteadOfOverflowing() {
    var facts =
        new Facts(
            0,
            Map.of(AttemptStatus.PASSED, Integer.MAX_VALUE, AttemptStatus.FAILED, 5),
            0,
            Map.of(),
            new TreeSet<>());
    assertThat(facts.processedAttempts()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void factsRejectNegativeNumbers() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Facts(-1, Map.of(), 0, Map.of(), new TreeSet<>()));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new Facts(0, Map.of(AttemptStatus.PASSED, -1), 0, Map.of(), new TreeSet<>()));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Facts(0, Map.of(), -1, Map.of(), new TreeSet<>()));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Facts(0, Map.of(), 0, Map.of("java", -1), new TreeSet<>()));
  }

  /** Passed days: a week, one missed day, then one more day. */
  private static Facts weekGapDay(FreezeRule rule) {
    var days = new TreeSet<LocalDate>();
    for (int i = 0; i < 7; i++) {
      days.add(D.plusDays(i));
    }
    days.add(D.plusDays(8));
    return new Facts(100, Map.of(), 0, Map.of(), days, rule);
  }

  @Test
  void consecutiveDaysBridgesAMissedDayWithAFreezeEarnedByTheWeek() {
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(8), weekGapDay(FreezeRule.DEFAULT)))
        .isTrue();
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(9), weekGapDay(FreezeRule.DEFAULT)))
        .isFalse();
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(8), weekGapDay(FreezeRule.OFF)))
        .isFalse();
  }

  @Test
  void aFrozenDayAloneNeverReachesTheNextLength() {
    var days = new TreeSet<LocalDate>();
    for (int i = 0; i < 7; i++) {
      days.add(D.plusDays(i));
    }
    var facts = new Facts(100, Map.of(), 0, Map.of(), days, FreezeRule.DEFAULT);
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(7), facts)).isTrue();
    assertThat(BadgeEvaluator.satisfied(new ConsecutiveDays(8), facts)).isFalse();
  }

  @Test
  void factsDefaultToTheDefaultFreezeRule() {
    var days = new TreeSet<>(weekGapDay(FreezeRule.OFF).passedDays());
    var facts = new Facts(100, Map.of(), 0, Map.of(), days);
    assertThat(facts.freezeRule()).isEqualTo(FreezeRule.DEFAULT);
    assertThat(facts).isEqualTo(weekGapDay(FreezeRule.DEFAULT));
    assertThat(facts.longestStreak()).isEqualTo(8);
    assertThat(facts.withFreezeRule(FreezeRule.OFF)).isEqualTo(weekGapDay(FreezeRule.OFF));
    assertThat(facts.withFreezeRule(FreezeRule.OFF).longestStreak()).isEqualTo(7);
    assertThat(Facts.empty().freezeRule()).isEqualTo(FreezeRule.DEFAULT);
  }
}
