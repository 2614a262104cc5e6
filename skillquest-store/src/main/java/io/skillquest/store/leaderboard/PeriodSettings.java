package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.Period;
import io.skillquest.store.Env;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the day, week and month boards are cut and kept, read the same way by the server and the
 * worker.
 *
 * @param zone SKILLQUEST_LEADERBOARD_ZONE (IANA id, UTC): whose midnights and Mondays cut windows
 * @param retention SKILLQUEST_LEADERBOARD_RETENTION: finished windows kept per period, written
 *     {@code day=60,week=52,month=24} (any subset, in any order; unnamed periods keep those
 *     defaults)
 * @param grace SKILLQUEST_LEADERBOARD_GRACE ({@code 1h}; a number with {@code s}, {@code m} or
 *     {@code h}): how long after a window ends late awards may still land on its live board before
 *     its final standings are written
 */
public record PeriodSettings(ZoneId zone, Map<Period, Integer> retention, Duration grace) {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,7})([smh])");

  /** UTC, the default retentions, a one-hour grace. */
  public static final PeriodSettings DEFAULT =
      new PeriodSettings(ZoneId.of("UTC"), defaultRetention(), Duration.ofHours(1));

  public PeriodSettings {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(grace, "grace");
    var copy = defaultRetention();
    copy.putAll(retention);
    retention = Map.copyOf(copy);
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
  }

  /**
   * Finished windows kept for a period.
   *
   * @param period day, week or month
   * @return the retention
   */
  public int retention(Period period) {
    return retention.get(period);
  }

  /**
   * Reads the SKILLQUEST_LEADERBOARD_* variables, recording problems in {@code env}.
   *
   * @param env the environment
   * @return the settings; defaults where a value is missing or malformed
   */
  public static PeriodSettings read(Env env) {
    ZoneId zone = DEFAULT.zone;
    var rawZone = env.string("SKILLQUEST_LEADERBOARD_ZONE", "UTC");
    try {
      zone = ZoneId.of(rawZone);
    } catch (DateTimeException e) {
      env.error("SKILLQUEST_LEADERBOARD_ZONE: not a time zone id like Europe/Paris or UTC");
    }
    var retention = defaultRetention();
    var rawRetention = env.string("SKILLQUEST_LEADERBOARD_RETENTION", "");
    for (var part : rawRetention.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      var kv = part.trim().split("=", 2);
      Period period = null;
      try {
        period = kv.length == 2 ? Period.parse(kv[0].trim()) : null;
      } catch (IllegalArgumentException e) {
        // reported below
      }
      Integer count = null;
      if (kv.length == 2 && kv[1].trim().matches("\\d{1,4}")) {
        count = Integer.parseInt(kv[1].trim());
      }
      if (period == null || !period.windowed() || count == null) {
        env.error(
            "SKILLQUEST_LEADERBOARD_RETENTION: expected entries like day=60,week=52,month=24"
                + " (0..9999 finished windows per period)");
        break;
      }
      retention.put(period, count);
    }
    Duration grace = DEFAULT.grace;
    var rawGrace = env.string("SKILLQUEST_LEADERBOARD_GRACE", "1h").trim();
    var m = DURATION.matcher(rawGrace);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      grace =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    } else {
      env.error("SKILLQUEST_LEADERBOARD_GRACE: expected a duration like 1h, 90m or 30s");
    }
    return new PeriodSettings(zone, retention, grace);
  }

  private static Map<Period, Integer> defaultRetention() {
    var m = new EnumMap<Period, Integer>(Period.class);
    for (var p : Period.values()) {
      if (p.windowed()) {
        m.put(p, p.defaultRetention());
      }
    }
    return m;
  }
}
