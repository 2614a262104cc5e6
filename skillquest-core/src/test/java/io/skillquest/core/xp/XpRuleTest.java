package io.skillquest.core.xp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class XpRuleTest {

  @ParameterizedTest
  @CsvSource({
    "100,0,0",
    "100,59,59",
    "100,60,60",
    "100,100,100",
    "150,33,49",
    "7,50,3",
    "0,100,0",
    "1,99,0"
  })
  void xpIsTheFlooredShareOfTheChallengeXp(int challengeXp, int score, int expected) {
    assertThat(XpRule.xpFor(challengeXp, score)).isEqualTo(expected);
  }

  @Test
  void xpForHugeChallengesDoesNotOverflow() {
    assertThat(XpRule.xpFor(Integer.MAX_VALUE, 100)).isEqualTo(Integer.MAX_VALUE);
    assertThat(XpRule.xpFor(Integer.MAX_VALUE, 50)).isEqualTo(Integer.MAX_VALUE / 2);
    assertThat(XpRule.xpFor(Integer.MAX_VALUE, 99))
        .isEqualTo((int) (Integer.MAX_VALUE * 99L / 100));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void scoresOutside0To100AreRejected(int score) {
    assertThat(XpRule.isValidScore(score)).isFalse();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> XpRule.xpFor(100, score))
        .withMessageContaining("score");
    assertThatIllegalArgumentException().isThrownBy(() -> XpRule.award(100, score, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> XpRule.passed(score, 60));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 59, 60, 99, 100})
  void scoresFrom0To100AreValid(int score) {
    assertThat(XpRule.isValidScore(score)).isTrue();
  }

  @Test
  void negativeXpIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> XpRule.xpFor(-1, 50));
    assertThatIllegalArgumentException().isThrownBy(() -> XpRule.award(100, 50, -1));
  }

  @Test
  void firstAttemptAwardsItsFullWorth() {
    assertThat(XpRule.award(200, 75, 0)).isEqualTo(150);
  }

  @Test
  void repeatingTheSameScoreAwardsNothing() {
    assertThat(XpRule.award(200, 75, 150)).isZero();
  }

  @Test
  void aLowerScoreAfterAHigherOneAwardsNothing() {
    assertThat(XpRule.award(200, 10, 150)).isZero();
  }

  @Test
  void aBetterScoreAwardsOnlyTheDifference() {
    assertThat(XpRule.award(200, 100, 150)).isEqualTo(50);
  }

  @Property
  void noFarmingTheSumOfAwardsNeverExceedsTheChallengeXp(
      @ForAll @IntRange(min = 0, max = 1_000_000) int challengeXp, @ForAll("scores") int[] scores) {
    int total = 0;
    int best = 0;
    for (int score : scores) {
      int award = XpRule.award(challengeXp, score, total);
      assertThat(award).isNotNegative();
      total += award;
      best = Math.max(best, XpRule.xpFor(challengeXp, score));
    }
    assertThat(total).isEqualTo(best).isLessThanOrEqualTo(challengeXp);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<int[]> scores() {
    return net.jqwik.api.Arbitraries.integers().between(0, 100).array(int[].class).ofMaxSize(20);
  }

  @Test
  void passingNeedsAtLeastThePassScore() {
    assertThat(XpRule.passed(59, XpRule.DEFAULT_PASS_SCORE)).isFalse();
    assertThat(XpRule.passed(60, XpRule.DEFAULT_PASS_SCORE)).isTrue();
    assertThat(XpRule.passed(100, XpRule.DEFAULT_PASS_SCORE)).isTrue();
    assertThat(XpRule.passed(0, 0)).isTrue();
    assertThat(XpRule.passed(99, 100)).isFalse();
  }

  @Test
  void defaultPassScoreIs60() {
    assertThat(XpRule.DEFAULT_PASS_SCORE).isEqualTo(60);
  }

  @Test
  void passScoresOutside0To100AreRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> XpRule.passed(50, -1));
    assertThatIllegalArgumentException().isThrownBy(() -> XpRule.passed(50, 101));
  }
}
