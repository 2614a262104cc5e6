package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.time.Duration;
import java.util.regex.Pattern;

/** "count events per window", e.g. 10 failed logins per 5 minutes. */
public record Limit(int count, Duration window) {
  private static final Pattern FORMAT =
      Pattern.compile("^\\s*(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*(ms|s|m|h)\\s*$");

  /**
   * Parses "10/5m": {@code count} events per {@code window}; the unit is ms, s, m or h, the number
   * defaults to 1.
   */
  public static Limit parse(String text) {
    var m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must look like 10/5m (count/window, window unit ms, s, m or h)");
    }
    int count = Integer.parseInt(m.group(1));
    long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    var window =
        switch (m.group(3)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    if (count < 1 || window.isZero()) {
      throw new IllegalArgumentException("count and window must be positive");
    }
    return new Limit(count, window);
  }

  /** The variable's limit, or {@code fallback}; a malformed value is recorded in {@code env}. */
  static Limit read(Env env, String name, String fallback) {
    var raw = env.string(name, fallback);
    try {
      return parse(raw);
    } catch (IllegalArgumentException e) {
      env.error(name + " '" + raw + "' " + e.getMessage());
      return parse(fallback);
    }
  }

  @Override
  public String toString() {
    return count + "/" + window.toSeconds() + "s";
  }
}
