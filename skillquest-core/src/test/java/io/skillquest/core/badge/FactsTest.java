package io.skillquest.core.badge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.core.streak.FreezeRule;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FactsTest {

  private static final LocalDate MONDAY = LocalDate.parse("2026-11-30");

  private final Facts before =
      new Facts(
          250,
          Map.of(AttemptStatus.SUBMITTED, 2, AttemptStatus.PASSED, 3, AttemptStatus.STARTED, 1),
          1,
          Map.of("java", 2),
          new TreeSet<>(List.of(MONDAY.minusDays(1))),
          new FreezeRule(3, 1));

  @Test
  void aPassCountsOnceForItsStatusItsTagsItsDayAndAPerfectScore() {
    var after = before.withSettled(AttemptStatus.PASSED, 100, List.of("java", "sql"), MONDAY);

    assertThat(after.attemptsByStatus())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(AttemptStatus.SUBMITTED, 1, AttemptStatus.PASSED, 4, AttemptStatus.STARTED, 1));
    assertThat(after.perfectScores()).isEqualTo(2);
    assertThat(after.passedByTag()).containsExactlyInAnyOrderEntriesOf(Map.of("java", 3, "sql", 1));
    assertThat(after.passedDays()).containsExactly(MONDAY.minusDays(1), MONDAY);
    assertThat(after.longestStreak()).isEqualTo(2);
    assertThat(after.totalXp()).as("the caller's total already holds the XP").isEqualTo(250);
    assertThat(after.freezeRule()).isEqualTo(before.freezeRule());
    assertThat(before.attempts(AttemptStatus.PASSED)).as("unchanged").isEqualTo(3);
  }

  @Test
  void aFailCountsOnlyForItsStatusAndAPerfectScore() {
    var after = before.withSettled(AttemptStatus.FAILED, 100, List.of("java"), MONDAY);

    assertThat(after.attempts(AttemptStatus.FAILED)).isEqualTo(1);
    assertThat(after.attempts(AttemptStatus.SUBMITTED)).isEqualTo(1);
    assertThat(after.perfectScores()).as("scored 100 against a higher pass mark").isEqualTo(2);
    assertThat(after.passedByTag()).isEqualTo(before.passedByTag());
    assertThat(after.passedDays()).isEqualTo(before.passedDays());
    assertThat(before.withSettled(AttemptStatus.FAILED, 99, List.of(), MONDAY).perfectScores())
        .isEqualTo(1);
  }

  @Test
  void theLastSubmittedAttemptLeavesNoSubmittedCountAndNoneIsNeverNegative() {
    var once = Facts.empty().withSettled(AttemptStatus.PASSED, 80, List.of(), MONDAY);
    assertThat(once.attemptsByStatus()).containsExactly(Map.entry(AttemptStatus.PASSED, 1));

    var twice =
        before
            .withSettled(AttemptStatus.PASSED, 80, List.of(), MONDAY)
            .withSettled(AttemptStatus.PASSED, 80, List.of(), MONDAY);
    assertThat(twice.attemptsByStatus()).doesNotContainKey(AttemptStatus.SUBMITTED);
    assertThat(twice.passedDays()).as("a day counts once").hasSize(2);
  }

  @Test
  void onlyAProcessedStatusSettlesAnAttempt() {
    assertThatThrownBy(() -> before.withSettled(AttemptStatus.SUBMITTED, 80, List.of(), MONDAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SUBMITTED");
  }
}
