package io.skillquest.core;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reading the plain {@code Map}/{@code List} tree any JSON library produces, for the parsers of
 * badge conditions and quizzes: exact numbers, and user text made safe to echo in a message.
 */
public final class InputTree {
  private static final int MAX_SHOWN = 64;
  private static final int MAX_SHOWN_DIGITS = 20;

  private InputTree() {}

  /**
   * The exact value of a JSON number.
   *
   * @param value a node of the tree
   * @return its exact value, or {@code null} for anything that is not a finite number
   */
  public static BigDecimal decimal(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (value instanceof BigDecimal b) {
      return b;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // new BigDecimal(double) is exact, so 2.5 stays non-integral and 1e300 stays huge
      return Double.isFinite(d) ? new BigDecimal(d) : null;
    }
    if (value instanceof Number n) {
      try {
        return new BigDecimal(n.toString());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * User text echoed in a message: bounded, and without control characters that could forge log
   * lines.
   *
   * @param text what the user sent
   * @return at most 64 characters of it, control characters replaced by {@code ?}
   */
  public static String shown(String text) {
    String cut = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    return cut.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  /**
   * A number echoed in a message, bounded so a 10,000-digit value cannot flood a log.
   *
   * @param d the number
   * @return at most 20 of its digits
   */
  public static String shown(BigDecimal d) {
    String s = d.stripTrailingZeros().toPlainString();
    return s.length() > MAX_SHOWN_DIGITS ? s.substring(0, MAX_SHOWN_DIGITS) + "..." : s;
  }
}
