package io.skillquest.core.leaderboard;

import static io.skillquest.core.leaderboard.ScoreCodec.EPOCH;
import static io.skillquest.core.leaderboard.ScoreCodec.HORIZON;
import static io.skillquest.core.leaderboard.ScoreCodec.MAX_XP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoreCodecTest {

  private static final Instant T = Instant.parse("2026-07-01T12:00:00Z");

  @Test
  void layoutIsXpTimesTwoToThe26PlusInvertedTime() {
    assertThat(ScoreCodec.encode(0, EPOCH)).isEqualTo((double) ((1L << 26) - 1));
    assertThat(ScoreCodec.encode(1, EPOCH.plusSeconds(30)))
        .isEqualTo((double) ((1L << 26) + (1L << 26) - 2));
    assertThat(ScoreCodec.encode(MAX_XP, EPOCH))
        .isEqualTo(ScoreCodec.MAX_SCORE)
        .isEqualTo(Math.pow(2, 53) - 1);
    assertThat(ScoreCodec.encode(0, HORIZON)).isZero();
  }

  @Test
  void maxXpIs134217727() {
    assertThat(MAX_XP).isEqualTo(134_217_727L).isEqualTo((1L << 27) - 1);
  }

  @Test
  void horizonIsAbout64YearsAhead() {
    assertThat(HORIZON).isEqualTo(Instant.parse("2088-10-18T16:31:59Z"));
    assertThat(ScoreCodec.reachedAt(ScoreCodec.encode(5, HORIZON)))
        .isEqualTo(Instant.parse("2088-10-18T16:31:30Z"));
  }

  @Test
  void higherXpWinsEvenWhenReachedLater() {
    assertThat(ScoreCodec.encode(101, HORIZON)).isGreaterThan(ScoreCodec.encode(100, EPOCH));
  }

  @Test
  void equalXpReachedEarlierRanksHigher() {
    assertThat(ScoreCodec.encode(100, T)).isGreaterThan(ScoreCodec.encode(100, T.plusSeconds(30)));
  }

  @Test
  void equalXpWithinOneThirtySecondUnitTies() {
    Instant unitStart = EPOCH.plusSeconds(30L * 1000);
    assertThat(ScoreCodec.encode(100, unitStart))
        .isEqualTo(ScoreCodec.encode(100, unitStart.plusSeconds(29).plusNanos(999_999_999)));
    assertThat(ScoreCodec.encode(100, unitStart))
        .isGreaterThan(ScoreCodec.encode(100, unitStart.plusSeconds(30)));
  }

  @Test
  void timesOutsideTheRangeClamp() {
    assertThat(ScoreCodec.encode(7, Instant.parse("2000-01-01T00:00:00Z")))
        .isEqualTo(ScoreCodec.encode(7, EPOCH));
    assertThat(ScoreCodec.encode(7, EPOCH.minusNanos(1))).isEqualTo(ScoreCodec.encode(7, EPOCH));
    assertThat(ScoreCodec.encode(7, Instant.MAX)).isEqualTo(ScoreCodec.encode(7, HORIZON));
    assertThat(ScoreCodec.encode(7, Instant.MIN)).isEqualTo(ScoreCodec.encode(7, EPOCH));
    assertThat(ScoreCodec.reachedAt(ScoreCodec.encode(7, Instant.MIN))).isEqualTo(EPOCH);
  }

  @Test
  void zeroXpUsersRankBelowEveryoneWithXp() {
    assertThat(ScoreCodec.encode(0, EPOCH)).isLessThan(ScoreCodec.encode(1, HORIZON));
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE, 134_217_728L, Long.MAX_VALUE})
  void xpOutOfRangeIsRejected(long xp) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoreCodec.encode(xp, T))
        .withMessageContaining("134217727");
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {
        -1,
        0.5,
        9007199254740992.0,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        1e300
      })
  void decodingRejectsValuesTheCodecNeverMakes(double score) {
    assertThatIllegalArgumentException().isThrownBy(() -> ScoreCodec.totalXp(score));
    assertThatIllegalArgumentException().isThrownBy(() -> ScoreCodec.reachedAt(score));
  }

  @Property
  void roundTripsXpAndTimeTruncatedToThirtySeconds(
      @ForAll("xp") long xp, @ForAll("instants") Instant at) {
    double score = ScoreCodec.encode(xp, at);
    assertThat(score).isEqualTo(Math.rint(score)).isLessThan(Math.pow(2, 53));
    assertThat(ScoreCodec.totalXp(score)).isEqualTo(xp);
    Instant decoded = ScoreCodec.reachedAt(score);
    assertThat(decoded).isBeforeOrEqualTo(at).isAfter(at.minusSeconds(30));
    assertThat(decoded.getEpochSecond() % 30).isZero();
    assertThat(ScoreCodec.encode(xp, decoded)).isEqualTo(score);
  }

  @Property
  void higherXpAlwaysEncodesHigher(
      @ForAll("xp") long a,
      @ForAll("xp") long b,
      @ForAll("anyInstants") Instant ta,
      @ForAll("anyInstants") Instant tb) {
    if (a != b) {
      assertThat(Double.compare(ScoreCodec.encode(a, ta), ScoreCodec.encode(b, tb)))
          .isEqualTo(Long.compare(a, b));
    }
  }

  @Property
  void equalXpEarlierUnitEncodesHigher(
      @ForAll("xp") long xp, @ForAll("instants") Instant a, @ForAll("instants") Instant b) {
    long ua = Math.floorDiv(a.getEpochSecond() - EPOCH.getEpochSecond(), 30);
    long ub = Math.floorDiv(b.getEpochSecond() - EPOCH.getEpochSecond(), 30);
    assertThat(Double.compare(ScoreCodec.encode(xp, a), ScoreCodec.encode(xp, b)))
        .isEqualTo(Long.compare(ub, ua));
  }

  @Provide
  Arbitrary<Long> xp() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, MAX_XP), Arbitraries.of(0L, 1L, MAX_XP - 1, MAX_XP));
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(EPOCH.getEpochSecond(), HORIZON.getEpochSecond())
        .flatMap(
            s ->
                Arbitraries.integers()
                    .between(0, 999_999_999)
                    .map(n -> Instant.ofEpochSecond(s, n)));
  }

  @Provide
  Arbitrary<Instant> anyInstants() {
    return Arbitraries.oneOf(
        instants(), Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH, EPOCH, HORIZON));
  }

  @Property
  void lowerBoundOfTheHorizonIsExact(@ForAll @LongRange(min = 0, max = (1L << 26) - 1) long unit) {
    Instant at = EPOCH.plusSeconds(unit * 30);
    assertThat(ScoreCodec.reachedAt(ScoreCodec.encode(3, at))).isEqualTo(at);
  }
}
