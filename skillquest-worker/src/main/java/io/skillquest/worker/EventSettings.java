package io.skillquest.worker;

import io.skillquest.store.Env;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The event outbox's settings.
 *
 * @param enabled whether awards and retroactive badges write events (SKILLQUEST_EVENTS_ENABLED,
 *     true; off only to measure what the outbox costs: no events means no webhooks and no live
 *     streams)
 * @param retention how long events are kept before the worker prunes them
 *     (SKILLQUEST_EVENT_RETENTION, 30 days: a number of days, a number with d, h, m or s, or an
 *     ISO-8601 duration such as P30D or PT12H)
 * @param pruneInterval how often the worker prunes
 * @param pruneBatch events deleted per statement; pruning repeats statements until none is left
 */
public record EventSettings(
    boolean enabled, Duration retention, Duration pruneInterval, int pruneBatch) {

  public static final EventSettings DEFAULT =
      new EventSettings(true, Duration.ofDays(30), Duration.ofMinutes(10), 5_000);

  public EventSettings {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive");
    }
    if (pruneInterval.isNegative() || pruneInterval.isZero()) {
      throw new IllegalArgumentException("pruneInterval must be positive");
    }
    if (pruneBatch < 1) {
      throw new IllegalArgumentException("pruneBatch must be at least 1");
    }
  }

  /** Reads SKILLQUEST_EVENTS_ENABLED and SKILLQUEST_EVENT_RETENTION, recording problems in env. */
  public static EventSettings read(Env env) {
    var d = DEFAULT;
    Duration retention = d.retention;
    var raw = env.value("SKILLQUEST_EVENT_RETENTION");
    if (raw.isPresent()) {
      try {
        retention = duration(raw.get(), "d");
        if (retention.isNegative() || retention.isZero()) {
          throw new IllegalArgumentException("not positive");
        }
      } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
        env.error(
            "SKILLQUEST_EVENT_RETENTION: expected a positive duration like 30 (days), 30d, 12h or"
                + " P30D");
        retention = d.retention;
      }
    }
    return new EventSettings(
        env.bool("SKILLQUEST_EVENTS_ENABLED", d.enabled), retention, d.pruneInterval, d.pruneBatch);
  }

  /**
   * An ISO-8601 duration (P30D, PT12H), or a whole number followed by d, h, m or s; a bare number
   * is in {@code bareUnit}.
   */
  static Duration duration(String text, String bareUnit) {
    var t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    var unit = t.isEmpty() || Character.isDigit(t.charAt(t.length() - 1)) ? bareUnit : "";
    var number = unit.isEmpty() ? t.substring(0, t.length() - 1) : t;
    long n = Long.parseLong(number.trim());
    return switch (unit.isEmpty() ? t.substring(t.length() - 1) : unit) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      case "s" -> Duration.ofSeconds(n);
      default -> throw new IllegalArgumentException("unknown unit in " + text);
    };
  }
}
