package io.skillquest.core.leaderboard;

import java.time.Duration;
import java.time.Instant;

/**
 * Packs total XP and the instant it was reached into one Redis sorted-set score, so that a plain
 * descending score order is the leaderboard order: more XP first, and for equal XP whoever reached
 * it first.
 *
 * <p>Layout: {@code score = totalXp * 2^26 + (2^26 - 1 - timeUnits)}, where {@code timeUnits}
 * counts 30-second units since {@link #EPOCH}. The result is below 2^53, so it is an exact integer
 * in a {@code double} (Redis stores scores as doubles) and decoding always round-trips.
 *
 * <ul>
 *   <li><b>XP range</b>: 0 to {@link #MAX_XP} = 2^27 - 1 = 134,217,727; larger totals are rejected
 *       rather than silently mis-ordered.
 *   <li><b>Time range</b>: 2^26 units of 30 s from 2025-01-01T00:00Z, about 63.8 years (to
 *       2088-10-18T16:31:59Z). Earlier instants clamp to the first unit and later ones to the last,
 *       so encoding never fails on time; ordering is only lost between instants clamped together.
 *   <li><b>Ties</b>: higher XP always encodes strictly higher whatever the times. Equal XP reached
 *       within the same 30 s unit encodes to the same score, and Redis then orders those members by
 *       member string (lexicographically), which is the only tie left to chance.
 * </ul>
 */
public final class ScoreCodec {

  /** The start of the time scale. */
  public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

  /** The time resolution: instants within one unit are equal to the codec. */
  public static final Duration RESOLUTION = Duration.ofSeconds(30);

  /** Bits of the score holding time. */
  public static final int TIME_BITS = 26;

  /**
   * Bits of the score holding XP; with {@link #TIME_BITS} they fill a double's 53-bit significand.
   */
  public static final int XP_BITS = 27;

  /** The largest total XP that can be encoded: 2^27 - 1 = 134,217,727. */
  public static final long MAX_XP = (1L << XP_BITS) - 1;

  /** The largest encoded score: 2^53 - 1. */
  public static final double MAX_SCORE = (double) ((1L << (XP_BITS + TIME_BITS)) - 1);

  private static final long MAX_UNIT = (1L << TIME_BITS) - 1;
  private static final long UNIT_SECONDS = RESOLUTION.toSeconds();

  /** The last instant with its own time unit; later instants clamp to its unit. */
  public static final Instant HORIZON = EPOCH.plusSeconds((MAX_UNIT + 1) * UNIT_SECONDS - 1);

  private ScoreCodec() {}

  /**
   * Encodes total XP and the instant it was reached.
   *
   * @param totalXp the total XP, 0..{@link #MAX_XP}
   * @param reachedAt when the user reached that total; clamped into [{@link #EPOCH}, {@link
   *     #HORIZON}]
   * @return the score, an exact integer in 0..2^53-1
   * @throws IllegalArgumentException if {@code totalXp} is out of range
   */
  public static double encode(long totalXp, Instant reachedAt) {
    if (totalXp < 0 || totalXp > MAX_XP) {
      throw new IllegalArgumentException(
          "total XP must be between 0 and " + MAX_XP + ": " + totalXp);
    }
    long seconds = reachedAt.getEpochSecond() - EPOCH.getEpochSecond();
    long unit = Math.min(MAX_UNIT, Math.max(0, Math.floorDiv(seconds, UNIT_SECONDS)));
    return (double) ((totalXp << TIME_BITS) | (MAX_UNIT - unit));
  }

  /**
   * The total XP held in a score.
   *
   * @param score a score made by {@link #encode(long, Instant)}
   * @return the total XP
   * @throws IllegalArgumentException if the value is not a score this codec makes
   */
  public static long totalXp(double score) {
    return bits(score) >>> TIME_BITS;
  }

  /**
   * The instant held in a score, truncated to the start of its 30-second unit.
   *
   * @param score a score made by {@link #encode(long, Instant)}
   * @return the instant, between {@link #EPOCH} and {@link #HORIZON}
   * @throws IllegalArgumentException if the value is not a score this codec makes
   */
  public static Instant reachedAt(double score) {
    long unit = MAX_UNIT - (bits(score) & MAX_UNIT);
    return EPOCH.plusSeconds(unit * UNIT_SECONDS);
  }

  private static long bits(double score) {
    // NaN fails both comparisons' negation, so it is rejected here too
    if (!(score >= 0 && score <= MAX_SCORE) || score != Math.rint(score)) {
      throw new IllegalArgumentException("not a leaderboard score: " + score);
    }
    return (long) score;
  }
}
