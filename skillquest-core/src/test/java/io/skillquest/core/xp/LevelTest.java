package io.skillquest.core.xp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LevelTest {

  @ParameterizedTest
  @CsvSource({
    "0,1",
    "99,1",
    "100,2",
    "399,2",
    "400,3",
    "899,3",
    "900,4",
    "1599,4",
    "1600,5",
    "9999,10",
    "10000,11"
  })
  void levelIsTheIntegerRootOfHundredsPlusOne(long totalXp, int level) {
    assertThat(Level.levelFor(totalXp)).isEqualTo(level);
  }

  @Test
  void levelStartsAt400Xp() {
    assertThat(Level.of(399)).isEqualTo(new Level(399, 2, 400, 1));
    assertThat(Level.of(400)).isEqualTo(new Level(400, 3, 900, 500));
  }

  @Test
  void newUserIsLevelOneWithHundredToGo() {
    assertThat(Level.of(0)).isEqualTo(new Level(0, 1, 100, 100));
  }

  @Property
  void everyLevelStartsExactlyAtItsSquareTimesHundred(
      @ForAll @IntRange(min = 1, max = 303_700_049) int n) {
    long start = (long) n * n * 100;
    assertThat(Level.levelFor(start - 1)).isEqualTo(n);
    assertThat(Level.levelFor(start)).isEqualTo(n + 1);
    assertThat(Level.of(start - 1).nextLevelXp()).isEqualTo(start);
    assertThat(Level.of(start - 1).xpToNextLevel()).isEqualTo(1);
  }

  @Test
  void boundariesHoldForHugeLevels() {
    for (long n : new long[] {1_000_000, 94_906_265, 94_906_266, 303_700_048, 303_700_049}) {
      long start = n * n * 100;
      assertThat(Level.levelFor(start - 1)).as("n=%d", n).isEqualTo(n);
      assertThat(Level.levelFor(start)).as("n=%d", n).isEqualTo(n + 1);
    }
  }

  @Test
  void maxLongXpHasALevelAndASaturatedNextLevel() {
    Level top = Level.of(Long.MAX_VALUE);
    assertThat(top.level()).isEqualTo(303_700_050);
    assertThat(top.nextLevelXp()).isEqualTo(Long.MAX_VALUE);
    assertThat(top.xpToNextLevel()).isZero();
    assertThat(Level.of(Long.MAX_VALUE - 1).xpToNextLevel()).isEqualTo(1);
  }

  @Test
  void nextLevelXpSaturatesOnlyWhenTheProductOverflows() {
    assertThat(Level.nextLevelXpFor(303_700_049)).isEqualTo(303_700_049L * 303_700_049L * 100);
    assertThat(Level.nextLevelXpFor(303_700_050)).isEqualTo(Long.MAX_VALUE);
    assertThat(Level.nextLevelXpFor(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
  }

  @Property
  void levelAgreesWithExactBigIntegerRoot(@ForAll long anyXp) {
    long totalXp = anyXp == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(anyXp);
    long expected = BigInteger.valueOf(totalXp / 100).sqrt().longValueExact() + 1;
    assertThat(Level.levelFor(totalXp)).isEqualTo(expected);
  }

  @Property
  void levelIsMonotonic(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long a,
      @ForAll @LongRange(min = 0) long b) {
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
    assertThat(Level.levelFor(lo)).isLessThanOrEqualTo(Level.levelFor(hi));
    assertThat(Level.levelFor(lo + 1) - Level.levelFor(lo)).isBetween(0, 1);
  }

  @Property
  void progressIsConsistent(@ForAll @LongRange(min = 0) long totalXp) {
    Level l = Level.of(totalXp);
    assertThat(l.xpToNextLevel()).isEqualTo(l.nextLevelXp() - totalXp).isNotNegative();
    assertThat(l.nextLevelXp()).isGreaterThanOrEqualTo(totalXp);
  }

  @Property
  void isqrtIsExactForEveryLong(@ForAll @LongRange(min = 0) long n) {
    long r = Level.isqrt(n);
    assertThat(BigInteger.valueOf(r)).isEqualTo(BigInteger.valueOf(n).sqrt());
  }

  @Test
  void isqrtIsExactAroundPerfectSquaresAndTheTop() {
    assertThat(Level.isqrt(Long.MAX_VALUE)).isEqualTo(3_037_000_499L);
    for (long r : new long[] {1, 2, 3, 94_906_265, 94_906_266, 1L << 31, 3_037_000_499L}) {
      assertThat(Level.isqrt(r * r)).isEqualTo(r);
      assertThat(Level.isqrt(r * r - 1)).isEqualTo(r - 1);
    }
  }

  @Test
  void negativeXpIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Level.of(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> Level.levelFor(Long.MIN_VALUE));
  }

  @Test
  void inconsistentLevelsCannotBeBuilt() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Level(400, 2, 400, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new Level(0, 1, 100, 99));
    assertThatIllegalArgumentException().isThrownBy(() -> Level.nextLevelXpFor(0));
  }
}
