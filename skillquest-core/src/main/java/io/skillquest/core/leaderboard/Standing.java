package io.skillquest.core.leaderboard;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * What decides a user's place on a leaderboard: their XP and when they reached it.
 *
 * <p>{@link #reachedAt} is kept at millisecond precision (truncated towards the past), the
 * precision at which ties are broken everywhere: in Redis through {@link RankCodec} and in the SQL
 * fallback through {@code date_trunc('milliseconds', ...)}.
 *
 * @param userId the user, at least 0
 * @param totalXp the XP the board ranks by, 0..{@link RankCodec#MAX_XP}
 * @param reachedAt when the user reached that XP, truncated to the millisecond
 */
public record Standing(long userId, long totalXp, Instant reachedAt) {

  /**
   * The leaderboard order: more XP first; for equal XP whoever reached it first (to the
   * millisecond); for equal XP and millisecond the lower user id. It is a total order on standings
   * of distinct users, so every user has a distinct ordinal position.
   */
  public static final Comparator<Standing> ORDER =
      Comparator.comparingLong(Standing::totalXp)
          .reversed()
          .thenComparing(Standing::reachedAt)
          .thenComparingLong(Standing::userId);

  /**
   * Validates the values and truncates the time to the millisecond.
   *
   * @param userId the user
   * @param totalXp the XP
   * @param reachedAt when it was reached
   * @throws IllegalArgumentException if a value is outside what {@link RankCodec} can encode
   */
  public Standing {
    RankCodec.requireUserId(userId);
    RankCodec.requireXp(totalXp);
    reachedAt = RankCodec.requireTime(Objects.requireNonNull(reachedAt, "reachedAt"));
  }
}
