package io.skillquest.core.xp;

/**
 * The XP and pass rules for a single attempt.
 *
 * <p>All arithmetic is exact: {@code challengeXp * score} is done in {@code long} so no challenge
 * XP that fits an {@code int} can overflow, and the division floors (both operands are
 * non-negative).
 */
public final class XpRule {

  /** The pass mark used when a challenge does not set its own. */
  public static final int DEFAULT_PASS_SCORE = 60;

  /** The lowest valid score. */
  public static final int MIN_SCORE = 0;

  /** The highest valid score. */
  public static final int MAX_SCORE = 100;

  private XpRule() {}

  /**
   * Tells whether a score is inside {@value #MIN_SCORE}..{@value #MAX_SCORE}.
   *
   * @param score the submitted score
   * @return {@code true} when the score may be submitted
   */
  public static boolean isValidScore(int score) {
    return score >= MIN_SCORE && score <= MAX_SCORE;
  }

  /**
   * The XP a score is worth on its own: {@code floor(challengeXp * score / 100)}.
   *
   * @param challengeXp the challenge's full XP, at least 0
   * @param score the score, 0..100
   * @return the XP the score is worth, between 0 and {@code challengeXp}
   * @throws IllegalArgumentException if the score is invalid or the XP negative
   */
  public static int xpFor(int challengeXp, int score) {
    if (challengeXp < 0) {
      throw new IllegalArgumentException("challenge XP must not be negative: " + challengeXp);
    }
    requireValidScore(score);
    // score <= 100, so the result never exceeds challengeXp and the cast is safe
    return (int) ((long) challengeXp * score / MAX_SCORE);
  }

  /**
   * The XP an attempt actually adds, given what the user already earned on the same challenge.
   *
   * <p>No farming: the sum of awards for one user and challenge never exceeds the challenge's XP,
   * because each award only tops the best earlier result up to this score's worth.
   *
   * @param challengeXp the challenge's full XP, at least 0
   * @param score the score, 0..100
   * @param alreadyAwarded XP the user already received from this challenge, at least 0
   * @return {@code max(0, xpFor(challengeXp, score) - alreadyAwarded)}
   * @throws IllegalArgumentException if the score is invalid or an XP value negative
   */
  public static int award(int challengeXp, int score, int alreadyAwarded) {
    if (alreadyAwarded < 0) {
      throw new IllegalArgumentException(
          "already awarded XP must not be negative: " + alreadyAwarded);
    }
    return Math.max(0, xpFor(challengeXp, score) - alreadyAwarded);
  }

  /**
   * Tells whether a score passes a challenge.
   *
   * @param score the score, 0..100
   * @param passScore the challenge's pass mark, 0..100
   * @return {@code score >= passScore}
   * @throws IllegalArgumentException if either value is outside 0..100
   */
  public static boolean passed(int score, int passScore) {
    requireValidScore(score);
    if (!isValidScore(passScore)) {
      throw new IllegalArgumentException("pass score must be between 0 and 100: " + passScore);
    }
    return score >= passScore;
  }

  private static void requireValidScore(int score) {
    if (!isValidScore(score)) {
      throw new IllegalArgumentException("score must be between 0 and 100: " + score);
    }
  }
}
