package io.skillquest.store.events;

import java.time.Duration;
import java.util.Locale;

/** Durations as the SKILLQUEST_* variables write them. */
public final class Durations {
  private Durations() {}

  /**
   * An ISO-8601 duration (P30D, PT12H), or a whole number followed by d, h, m, s or ms; a bare
   * number is in {@code bareUnit}.
   *
   * @throws RuntimeException when it is none of these
   */
  public static Duration parse(String text, String bareUnit) {
    var t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    int digits = 0;
    while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
      digits++;
    }
    long n = Long.parseLong(t.substring(0, digits));
    var unit = digits == t.length() ? bareUnit : t.substring(digits).trim();
    return switch (unit) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      case "s" -> Duration.ofSeconds(n);
      case "ms" -> Duration.ofMillis(n);
      default -> throw new IllegalArgumentException("unknown unit in " + text);
    };
  }
}
