package io.skillquest.core.streak;

/**
 * When streak freezes are earned and how many may be held.
 *
 * <p>A freeze is earned for every {@code every} real consecutive days of a streak (days with a
 * passed attempt, not frozen days), up to {@code max} held at once; a freeze earned while {@code
 * max} are held is lost. A held freeze covers one missed day automatically: the streak stays alive
 * through the frozen day, but the frozen day is never counted as a streak day.
 *
 * @param every real consecutive days per freeze earned, 1..{@value #MAX_EVERY}
 * @param max the most freezes held at once, 0..{@value #MAX_HELD}; 0 turns freezes off
 */
public record FreezeRule(int every, int max) {

  /** The largest {@link #every}: a year. */
  public static final int MAX_EVERY = 366;

  /** The largest {@link #max}. */
  public static final int MAX_HELD = 100;

  /** The default: one freeze per 7 days, at most 2 held. */
  public static final FreezeRule DEFAULT = new FreezeRule(7, 2);

  /** No freezes: every missed day breaks the streak. */
  public static final FreezeRule OFF = new FreezeRule(7, 0);

  /**
   * Validates the rule.
   *
   * @param every days per freeze
   * @param max freezes held at most
   * @throws IllegalArgumentException if a value is out of range
   */
  public FreezeRule {
    if (every < 1 || every > MAX_EVERY) {
      throw new IllegalArgumentException(
          "streak freeze interval must be between 1 and " + MAX_EVERY + " days: " + every);
    }
    if (max < 0 || max > MAX_HELD) {
      throw new IllegalArgumentException(
          "streak freezes held must be between 0 and " + MAX_HELD + ": " + max);
    }
  }

  /**
   * Whether freezes can ever be held.
   *
   * @return {@code false} when {@link #max} is 0
   */
  public boolean enabled() {
    return max > 0;
  }
}
