package io.skillquest.core.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankCodecTest {

  private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");

  @Test
  void memberIsInvertedTimeColonInvertedId() {
    assertThat(RankCodec.member(1, Instant.EPOCH)).isEqualTo("253402300799999:9223372036854775806");
    assertThat(RankCodec.member(Long.MAX_VALUE, RankCodec.MAX_TIME))
        .isEqualTo("000000000000000:0000000000000000000");
    assertThat(RankCodec.member(42, T)).hasSize(RankCodec.MEMBER_LENGTH).hasSize(35);
  }

  @Test
  void scoreIsTheXpItself() {
    assertThat(RankCodec.score(0)).isZero();
    assertThat(RankCodec.score(1234)).isEqualTo(1234.0);
    assertThat(RankCodec.score(RankCodec.MAX_XP)).isEqualTo(Math.pow(2, 53) - 1);
    assertThat(RankCodec.totalXp(RankCodec.score(RankCodec.MAX_XP))).isEqualTo(RankCodec.MAX_XP);
  }

  @Test
  void twoUsersFiveMillisecondsApartAtEqualXpKeepTheirOrder() {
    var first = RankCodec.encode(900, 500, T);
    var second = RankCodec.encode(7, 500, T.plusMillis(5));
    assertThat(sortedByRedis(List.of(second, first))).containsExactly(first, second);
  }

  @Test
  void sameMillisecondFallsBackToTheLowerUserId() {
    var low = RankCodec.encode(9, 500, T);
    var high = RankCodec.encode(10, 500, T);
    assertThat(sortedByRedis(List.of(high, low))).containsExactly(low, high);
  }

  @Test
  void moreXpWinsWhateverTheTime() {
    var later = RankCodec.encode(1, 501, RankCodec.MAX_TIME);
    var earlier = RankCodec.encode(2, 500, Instant.EPOCH);
    assertThat(sortedByRedis(List.of(earlier, later))).containsExactly(later, earlier);
  }

  @Test
  void subMillisecondDifferencesTieAndTruncateTowardsThePast() {
    Instant a = T.plusNanos(100);
    Instant b = T.plusNanos(999_999);
    assertThat(RankCodec.member(5, a)).isEqualTo(RankCodec.member(5, b));
    assertThat(RankCodec.decodeMember(RankCodec.member(5, b)).reachedAt()).isEqualTo(T);
  }

  @Test
  void outOfRangeValuesAreRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> RankCodec.score(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> RankCodec.score(1L << 53));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RankCodec.member(-1, T))
        .withMessageContaining("user id");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RankCodec.member(1, Instant.EPOCH.minusMillis(1)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RankCodec.member(1, RankCodec.MAX_TIME.plusMillis(1)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "253402300799999:922337203685477580",
        "253402300799999-9223372036854775806",
        "253402300799999:9999999999999999999",
        "353402300799999:9223372036854775806",
        "25340230079999x:9223372036854775806",
        "+53402300799999:9223372036854775806",
        "253402300799999:9223372036854775806 "
      })
  void malformedMembersAreRejected(String member) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RankCodec.decodeMember(member))
        .withMessageContaining("not a leaderboard member");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1, 0.5, Double.NaN, Double.POSITIVE_INFINITY, 9007199254740992.0})
  void nonScoresAreRejected(double score) {
    assertThatIllegalArgumentException().isThrownBy(() -> RankCodec.totalXp(score));
  }

  @Property
  void redisOrderIsTheLeaderboardOrder(@ForAll("boards") List<Standing> board) {
    List<Standing> expected = new ArrayList<>(board);
    expected.sort(Standing.ORDER);
    List<RankCodec.Entry> entries = new ArrayList<>();
    board.forEach(s -> entries.add(RankCodec.encode(s)));
    List<Standing> viaRedis =
        sortedByRedis(entries).stream().map(e -> RankCodec.decode(e.score(), e.member())).toList();
    assertThat(viaRedis).isEqualTo(expected);
  }

  @Property
  void encodingRoundTrips(@ForAll("standings") Standing s) {
    var entry = RankCodec.encode(s);
    assertThat(RankCodec.decode(entry.score(), entry.member())).isEqualTo(s);
    assertThat(RankCodec.decodeMember(entry.member()))
        .isEqualTo(new RankCodec.Member(s.userId(), s.reachedAt()));
    assertThat(entry.member()).hasSize(RankCodec.MEMBER_LENGTH);
  }

  @Property
  void encodingKeepsPairwiseOrder(
      @ForAll("standings") Standing a, @ForAll("standings") Standing b) {
    int expected = Integer.signum(Standing.ORDER.compare(a, b));
    int actual =
        Integer.signum(RankCodec.REDIS_ORDER.compare(RankCodec.encode(a), RankCodec.encode(b)));
    assertThat(actual).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<Standing>> boards() {
    // few distinct XP values and times so that ties are common; distinct users as on a real board
    Arbitrary<Long> xp =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 5), Arbitraries.longs().between(0, RankCodec.MAX_XP));
    Arbitrary<Instant> time =
        Arbitraries.oneOf(Arbitraries.longs().between(0, 10).map(ms -> T.plusMillis(ms)), times());
    return Combinators.combine(ids(), xp, time)
        .as(Standing::new)
        .list()
        .ofMaxSize(40)
        .uniqueElements(Standing::userId);
  }

  @Provide
  Arbitrary<Standing> standings() {
    return Combinators.combine(ids(), Arbitraries.longs().between(0, RankCodec.MAX_XP), times())
        .as(Standing::new);
  }

  private static Arbitrary<Long> ids() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 50), Arbitraries.longs().between(0, Long.MAX_VALUE));
  }

  private static Arbitrary<Instant> times() {
    return Arbitraries.longs()
        .between(0, RankCodec.MAX_TIME_MILLIS)
        .map(Instant::ofEpochMilli)
        .edgeCases(c -> c.add(Instant.EPOCH, RankCodec.MAX_TIME));
  }

  /** ZREVRANGE's rule, stated independently of the codec: score desc, then member bytes desc. */
  private static final Comparator<RankCodec.Entry> ZREVRANGE =
      Comparator.comparingDouble(RankCodec.Entry::score)
          .thenComparing(e -> e.member().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned)
          .reversed();

  private static List<RankCodec.Entry> sortedByRedis(List<RankCodec.Entry> entries) {
    var sorted = new ArrayList<>(entries);
    sorted.sort(ZREVRANGE);
    var byCodec = new ArrayList<>(entries);
    byCodec.sort(RankCodec.REDIS_ORDER);
    assertThat(byCodec).isEqualTo(sorted);
    return sorted;
  }
}
