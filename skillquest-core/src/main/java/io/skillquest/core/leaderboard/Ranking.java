package io.skillquest.core.leaderboard;

import java.util.Objects;

/**
 * How positions on a board are numbered.
 *
 * <p>Both keep the board order ({@link Standing#ORDER}); they differ only in the number shown for
 * users with equal XP.
 */
public enum Ranking {
  /** Every user has a distinct position: 1, 2, 3, 4. The default. */
  ORDINAL("ordinal"),
  /**
   * Equal XP shares a rank, the next rank skips: 1, 2, 2, 4. A user's rank is one more than the
   * number of users with strictly more XP, so the store can compute it with one count of greater
   * scores.
   */
  COMPETITION("competition");

  private static final String ALLOWED = "ordinal, competition";

  private final String wireName;

  Ranking(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name used in query parameters and JSON.
   *
   * @return {@code ordinal} or {@code competition}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a query parameter.
   *
   * @param value the parameter, or {@code null} when absent
   * @return the ranking; {@link #ORDINAL} when {@code value} is {@code null}
   * @throws IllegalArgumentException if the value is none of the wire names; the message names the
   *     allowed ones
   */
  public static Ranking parse(String value) {
    if (value == null) {
      return ORDINAL;
    }
    for (Ranking r : values()) {
      if (r.wireName.equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "ranking must be one of " + ALLOWED + ", not '" + Shown.text(value) + "'");
  }

  /**
   * The ranks of one page of a board.
   *
   * <p>For {@link #COMPETITION} only the first row needs a lookup: a later row whose XP is lower
   * than the row before it has every earlier row strictly above it, so its rank is its ordinal
   * position; a row with the same XP as the row before shares that row's rank.
   *
   * @param offset the number of rows before the page (0 for the top)
   * @param usersAboveFirst for {@link #COMPETITION}, the number of users with strictly more XP than
   *     the page's first row (ignored for {@link #ORDINAL})
   * @param xpInBoardOrder the XP of each row of the page, in board order (non-increasing)
   * @return the 1-based rank of each row
   * @throws IllegalArgumentException if the XP values increase or a count is negative
   */
  public long[] ranks(long offset, long usersAboveFirst, long[] xpInBoardOrder) {
    Objects.requireNonNull(xpInBoardOrder, "xpInBoardOrder");
    if (offset < 0 || usersAboveFirst < 0 || usersAboveFirst > offset) {
      throw new IllegalArgumentException(
          "need 0 <= usersAboveFirst <= offset: " + usersAboveFirst + ", " + offset);
    }
    long[] ranks = new long[xpInBoardOrder.length];
    for (int i = 0; i < ranks.length; i++) {
      long ordinal = offset + i + 1;
      if (i > 0 && xpInBoardOrder[i] > xpInBoardOrder[i - 1]) {
        throw new IllegalArgumentException("XP must not increase down the board, at row " + i);
      }
      if (this == ORDINAL) {
        ranks[i] = ordinal;
      } else if (i == 0) {
        ranks[i] = usersAboveFirst + 1;
      } else {
        ranks[i] = xpInBoardOrder[i] == xpInBoardOrder[i - 1] ? ranks[i - 1] : ordinal;
      }
    }
    return ranks;
  }
}
