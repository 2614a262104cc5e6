package io.skillquest.core.xp;

/**
 * A user's level and progress towards the next one.
 *
 * <p>Level {@code n} starts at {@code (n-1)^2 * 100} total XP: level 1 at 0, level 2 at 100, level
 * 3 at 400, level 4 at 900. The square root is taken over integers, so there is no floating-point
 * error at the boundaries, and every non-negative {@code long} has a level.
 *
 * @param totalXp the user's total XP, at least 0
 * @param level {@code floor(sqrt(totalXp / 100)) + 1}
 * @param nextLevelXp the total XP at which the next level starts, {@code level^2 * 100}, or {@link
 *     Long#MAX_VALUE} when that product does not fit a {@code long}
 * @param xpToNextLevel {@code nextLevelXp - totalXp}; 0 only when {@code totalXp} is {@link
 *     Long#MAX_VALUE} itself
 */
public record Level(long totalXp, int level, long nextLevelXp, long xpToNextLevel) {

  private static final long MAX_LONG_ROOT = 3_037_000_499L;

  /**
   * Checks that the components agree with each other, so a {@code Level} is always one that {@link
   * #of(long)} would build.
   *
   * @param totalXp the total XP
   * @param level the level
   * @param nextLevelXp where the next level starts
   * @param xpToNextLevel the XP still needed
   * @throws IllegalArgumentException if the values are inconsistent
   */
  public Level {
    if (totalXp < 0) {
      throw new IllegalArgumentException("total XP must not be negative: " + totalXp);
    }
    if (level != levelFor(totalXp)
        || nextLevelXp != nextLevelXpFor(level)
        || xpToNextLevel != nextLevelXp - totalXp) {
      throw new IllegalArgumentException(
          "inconsistent level for "
              + totalXp
              + " XP: level="
              + level
              + ", nextLevelXp="
              + nextLevelXp
              + ", xpToNextLevel="
              + xpToNextLevel);
    }
  }

  /**
   * The level and progress for a total XP.
   *
   * @param totalXp the total XP, at least 0
   * @return the level
   * @throws IllegalArgumentException if {@code totalXp} is negative
   */
  public static Level of(long totalXp) {
    int level = levelFor(totalXp);
    long next = nextLevelXpFor(level);
    return new Level(totalXp, level, next, next - totalXp);
  }

  /**
   * The level for a total XP: {@code floor(isqrt(totalXp / 100)) + 1}.
   *
   * @param totalXp the total XP, at least 0
   * @return the level, at least 1 (at most 303,700,050 for {@link Long#MAX_VALUE})
   * @throws IllegalArgumentException if {@code totalXp} is negative
   */
  public static int levelFor(long totalXp) {
    if (totalXp < 0) {
      throw new IllegalArgumentException("total XP must not be negative: " + totalXp);
    }
    return (int) isqrt(totalXp / 100) + 1;
  }

  /**
   * The total XP at which the level after {@code level} starts: {@code level^2 * 100}.
   *
   * @param level a level, at least 1
   * @return {@code level^2 * 100}, saturated at {@link Long#MAX_VALUE}
   * @throws IllegalArgumentException if {@code level} is below 1
   */
  public static long nextLevelXpFor(int level) {
    if (level < 1) {
      throw new IllegalArgumentException("level must be at least 1: " + level);
    }
    long square = (long) level * level;
    // the top level reachable with a long total has no representable successor threshold
    return square > Long.MAX_VALUE / 100 ? Long.MAX_VALUE : square * 100;
  }

  /**
   * The largest {@code r} with {@code r * r <= n}.
   *
   * <p>{@link Math#sqrt} is exact to within one for any {@code long}, but rounding the argument to
   * a {@code double} can push it either way, so the estimate is corrected with exact checks.
   */
  static long isqrt(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative: " + n);
    }
    long r = (long) Math.sqrt((double) n);
    // isqrt(Long.MAX_VALUE) is 3_037_000_499; bounding r there keeps every square below overflow
    while (r * r > n) {
      r--;
    }
    while (r < MAX_LONG_ROOT && (r + 1) * (r + 1) <= n) {
      r++;
    }
    return r;
  }
}
