package io.skillquest.core.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RankingTest {

  @Test
  void parsesWireNamesAndDefaultsToOrdinal() {
    assertThat(Ranking.parse("ordinal")).isEqualTo(Ranking.ORDINAL);
    assertThat(Ranking.parse("competition")).isEqualTo(Ranking.COMPETITION);
    assertThat(Ranking.parse(null)).isEqualTo(Ranking.ORDINAL);
    assertThat(Ranking.COMPETITION.wireName()).isEqualTo("competition");
  }

  @Test
  void unknownRankingNamesTheAllowedOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ranking.parse("dense"))
        .withMessage("ranking must be one of ordinal, competition, not 'dense'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ranking.parse("Ordinal"))
        .withMessageContaining("ordinal, competition");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ranking.parse("x\ny"))
        .withMessageEndingWith("'x?y'");
  }

  @Test
  void ordinalNumbersEveryRow() {
    assertThat(Ranking.ORDINAL.ranks(0, 0, new long[] {50, 40, 40, 30}))
        .containsExactly(1, 2, 3, 4);
    assertThat(Ranking.ORDINAL.ranks(10, 3, new long[] {50, 50})).containsExactly(11, 12);
  }

  @Test
  void competitionSharesRanksAtTheTopMiddleAndBottom() {
    assertThat(Ranking.COMPETITION.ranks(0, 0, new long[] {50, 50, 40, 30, 30}))
        .containsExactly(1, 1, 3, 4, 4);
    assertThat(Ranking.COMPETITION.ranks(0, 0, new long[] {50, 40, 40, 30}))
        .containsExactly(1, 2, 2, 4);
    assertThat(Ranking.COMPETITION.ranks(0, 0, new long[] {0, 0, 0})).containsExactly(1, 1, 1);
  }

  @Test
  void competitionPageStartingInsideATieTakesTheTiesRank() {
    // full board 90, 70, 70, 70, 60: the page from offset 2 starts inside the 70s, ranked 2
    assertThat(Ranking.COMPETITION.ranks(2, 1, new long[] {70, 70, 60})).containsExactly(2, 2, 5);
  }

  @Test
  void increasingXpOrBadCountsAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ranking.ORDINAL.ranks(0, 0, new long[] {1, 2}));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ranking.COMPETITION.ranks(1, 2, new long[] {1}));
  }

  @Property
  void anyPageMatchesRankingTheWholeBoard(
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 4) Integer> xps,
      @ForAll @IntRange(min = 0, max = 30) int from,
      @ForAll @IntRange(min = 0, max = 30) int length) {
    long[] board = xps.stream().mapToLong(Integer::longValue).sorted().toArray();
    reverse(board);
    int start = Math.min(from, board.length);
    int end = Math.min(board.length, start + length);
    long[] page = Arrays.copyOfRange(board, start, end);
    long above =
        start < board.length ? Arrays.stream(board).filter(x -> x > board[start]).count() : 0;

    long[] competition = Ranking.COMPETITION.ranks(start, above, page);
    long[] ordinal = Ranking.ORDINAL.ranks(start, above, page);
    for (int i = 0; i < page.length; i++) {
      long xp = page[i];
      assertThat(competition[i]).isEqualTo(1 + Arrays.stream(board).filter(x -> x > xp).count());
      assertThat(ordinal[i]).isEqualTo(start + i + 1L);
      assertThat(competition[i]).isLessThanOrEqualTo(ordinal[i]);
    }
  }

  @Property
  void ordinalIgnoresTheCountOfUsersAbove(@ForAll @LongRange(min = 0, max = 1000) long offset) {
    assertThat(Ranking.ORDINAL.ranks(offset, 0, new long[] {5})).containsExactly(offset + 1);
  }

  private static void reverse(long[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
