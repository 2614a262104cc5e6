package io.skillquest.core.leaderboard;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Encodes a {@link Standing} as a Redis sorted-set entry whose Redis order is the leaderboard order
 * exactly: more XP first, then whoever reached it first to the millisecond, then the lower user id.
 *
 * <p><b>Layout.</b> The score is the total XP itself. The member is {@value #MEMBER_LENGTH} ASCII
 * characters: the inverted time ({@link #MAX_TIME_MILLIS} minus the reached-at epoch millisecond)
 * as 15 zero-padded decimal digits, a {@code ':'}, and the inverted user id ({@link Long#MAX_VALUE}
 * minus the id) as 19 zero-padded decimal digits, e.g. {@code 253402300799999:9223372036854775806}
 * for user 1 at 1970-01-01T00:00:00Z.
 *
 * <p><b>Why Redis' order is the leaderboard order.</b> {@code ZREVRANGE} orders by score descending
 * and, for equal scores, by member descending in plain byte order ({@code memcmp}).
 *
 * <ol>
 *   <li>Every total XP in 0..2^53-1 is exactly representable in a {@code double}, and distinct such
 *       integers are distinct doubles in the same order, so score descending is XP descending with
 *       no ties added or lost.
 *   <li>All members have the same length and the same character class at each position (digits,
 *       then {@code ':'}, then digits), and the digits {@code '0'..'9'} are the bytes 0x30..0x39 in
 *       numeric order. Two zero-padded numbers of equal width therefore compare byte-wise exactly
 *       as they compare numerically, and, since the time field has a fixed width, the id field only
 *       decides when the time fields are equal. So member order is the numeric order of the pair
 *       (inverted time, inverted id).
 *   <li>Inversion ({@code max - x}) reverses numeric order, so member <em>descending</em> is (time
 *       ascending, id ascending): first reached first, then the lower id.
 * </ol>
 *
 * <p>A variable-width or non-inverted member would break step 2 or 3: {@code "9" > "10"} in bytes,
 * and a later time would sort first. The encoding is injective on its domain, so decoding always
 * round-trips (to the millisecond).
 *
 * <p><b>Range.</b> XP 0..{@link #MAX_XP} (2^53-1), times from 1970-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999Z, user ids 0..{@link Long#MAX_VALUE}. Values outside are rejected with
 * {@link IllegalArgumentException} rather than clamped, since clamping would silently mis-order.
 *
 * <p><b>SQL equivalent.</b> The fallback query that must give the same order is {@code ORDER BY
 * total_xp DESC, date_trunc('milliseconds', reached_at) ASC, id ASC}, which is {@link
 * Standing#ORDER}; {@link #REDIS_ORDER} is the same order stated on encoded entries.
 */
public final class RankCodec {

  /** The largest XP a score holds exactly: 2^53-1. */
  public static final long MAX_XP = (1L << 53) - 1;

  /** The earliest time that can be encoded: the Unix epoch. */
  public static final Instant MIN_TIME = Instant.EPOCH;

  /** The latest time that can be encoded: 9999-12-31T23:59:59.999Z. */
  public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

  /** {@link #MAX_TIME} in epoch milliseconds; the inverted time is this minus the time. */
  public static final long MAX_TIME_MILLIS = MAX_TIME.toEpochMilli();

  /** The width of the inverted-time field: {@link #MAX_TIME_MILLIS} has 15 digits. */
  static final int TIME_DIGITS = 15;

  /** The width of the inverted-id field: {@link Long#MAX_VALUE} has 19 digits. */
  static final int ID_DIGITS = 19;

  /** The length of every member. */
  public static final int MEMBER_LENGTH = TIME_DIGITS + 1 + ID_DIGITS;

  /**
   * Redis' {@code ZREVRANGE} order on entries: score descending, then member descending in byte
   * order. Equal to {@link Standing#ORDER} on the decoded standings.
   */
  public static final Comparator<Entry> REDIS_ORDER =
      (a, b) -> {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : Arrays.compareUnsigned(b.memberBytes(), a.memberBytes());
      };

  private RankCodec() {}

  /**
   * One sorted-set entry.
   *
   * @param score the score, the total XP as an exact double
   * @param member the member, {@value #MEMBER_LENGTH} ASCII characters
   */
  public record Entry(double score, String member) {
    /**
     * Checks the member is present.
     *
     * @param score the score
     * @param member the member
     */
    public Entry {
      Objects.requireNonNull(member, "member");
    }

    private byte[] memberBytes() {
      return member.getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * What a member holds.
   *
   * @param userId the user
   * @param reachedAt when the user reached their score, to the millisecond
   */
  public record Member(long userId, Instant reachedAt) {}

  /**
   * Encodes a standing.
   *
   * @param standing the standing
   * @return the sorted-set entry
   */
  public static Entry encode(Standing standing) {
    return new Entry(score(standing.totalXp()), member(standing.userId(), standing.reachedAt()));
  }

  /**
   * Encodes a user's XP and when they reached it.
   *
   * @param userId the user, 0..{@link Long#MAX_VALUE}
   * @param totalXp the XP, 0..{@link #MAX_XP}
   * @param reachedAt when it was reached, {@link #MIN_TIME}..{@link #MAX_TIME}; truncated to the
   *     millisecond
   * @return the sorted-set entry
   * @throws IllegalArgumentException if a value is out of range
   */
  public static Entry encode(long userId, long totalXp, Instant reachedAt) {
    return encode(new Standing(userId, totalXp, reachedAt));
  }

  /**
   * The score for an XP total.
   *
   * @param totalXp the XP, 0..{@link #MAX_XP}
   * @return the XP as an exact double
   * @throws IllegalArgumentException if out of range
   */
  public static double score(long totalXp) {
    return (double) requireXp(totalXp);
  }

  /**
   * The XP a score holds.
   *
   * @param score a score made by {@link #score(long)}
   * @return the XP
   * @throws IllegalArgumentException if the score is not an integer in 0..{@link #MAX_XP}
   */
  public static long totalXp(double score) {
    // NaN fails both comparisons, so it is rejected here too
    if (!(score >= 0 && score <= MAX_XP) || score != Math.rint(score)) {
      throw new IllegalArgumentException("not a leaderboard score: " + score);
    }
    return (long) score;
  }

  /**
   * The member for a user and the time they reached their score.
   *
   * @param userId the user, 0..{@link Long#MAX_VALUE}
   * @param reachedAt when, {@link #MIN_TIME}..{@link #MAX_TIME}; truncated to the millisecond
   * @return the member, {@value #MEMBER_LENGTH} ASCII characters
   * @throws IllegalArgumentException if a value is out of range
   */
  public static String member(long userId, Instant reachedAt) {
    requireUserId(userId);
    long millis = requireTime(Objects.requireNonNull(reachedAt, "reachedAt")).toEpochMilli();
    var out = new StringBuilder(MEMBER_LENGTH);
    pad(out, MAX_TIME_MILLIS - millis, TIME_DIGITS);
    out.append(':');
    pad(out, Long.MAX_VALUE - userId, ID_DIGITS);
    return out.toString();
  }

  /**
   * Decodes a member.
   *
   * @param member a member made by {@link #member(long, Instant)}
   * @return the user and the time, to the millisecond
   * @throws IllegalArgumentException if the text is not such a member
   */
  public static Member decodeMember(String member) {
    if (member == null || member.length() != MEMBER_LENGTH || member.charAt(TIME_DIGITS) != ':') {
      throw notMember(member);
    }
    long invertedTime = digits(member, 0, TIME_DIGITS);
    long invertedId = digits(member, TIME_DIGITS + 1, MEMBER_LENGTH);
    if (invertedTime < 0 || invertedTime > MAX_TIME_MILLIS || invertedId < 0) {
      throw notMember(member);
    }
    return new Member(
        Long.MAX_VALUE - invertedId, Instant.ofEpochMilli(MAX_TIME_MILLIS - invertedTime));
  }

  /**
   * Decodes a whole entry.
   *
   * @param score the entry's score
   * @param member the entry's member
   * @return the standing
   * @throws IllegalArgumentException if either part is not one this codec makes
   */
  public static Standing decode(double score, String member) {
    Member m = decodeMember(member);
    return new Standing(m.userId(), totalXp(score), m.reachedAt());
  }

  static long requireXp(long totalXp) {
    if (totalXp < 0 || totalXp > MAX_XP) {
      throw new IllegalArgumentException(
          "total XP must be between 0 and " + MAX_XP + ": " + totalXp);
    }
    return totalXp;
  }

  static long requireUserId(long userId) {
    if (userId < 0) {
      throw new IllegalArgumentException("user id must not be negative: " + userId);
    }
    return userId;
  }

  static Instant requireTime(Instant reachedAt) {
    if (reachedAt.isBefore(MIN_TIME) || reachedAt.isAfter(MAX_TIME)) {
      throw new IllegalArgumentException(
          "reached-at time must be between " + MIN_TIME + " and " + MAX_TIME + ": " + reachedAt);
    }
    return reachedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  private static void pad(StringBuilder out, long value, int width) {
    String digits = Long.toString(value);
    out.append("0".repeat(width - digits.length())).append(digits);
  }

  /** Parses ASCII digits only; {@code Long.parseLong} would also take a sign. */
  private static long digits(String s, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      // 19 digits can exceed Long.MAX_VALUE; overflow shows up as a negative value
      value = value * 10 + (c - '0');
      if (value < 0) {
        return -1;
      }
    }
    return value;
  }

  private static IllegalArgumentException notMember(String member) {
    String shown =
        member == null ? "null" : member.length() > 64 ? member.substring(0, 64) : member;
    return new IllegalArgumentException("not a leaderboard member: '" + shown + "'");
  }
}
