package io.skillquest.worker;

import io.skillquest.store.Env;
import io.skillquest.store.events.Durations;
import io.skillquest.store.events.WebhookSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;

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
 * @param webhooks how endpoints are checked and delivered to (SKILLQUEST_WEBHOOK_*; a worker of its
 *     own never allows private targets by default)
 */
public record EventSettings(
    boolean enabled,
    Duration retention,
    Duration pruneInterval,
    int pruneBatch,
    WebhookSettings webhooks) {

  public static final EventSettings DEFAULT =
      new EventSettings(
          true, Duration.ofDays(30), Duration.ofMinutes(10), 5_000, WebhookSettings.DEFAULT);

  public EventSettings withWebhooks(WebhookSettings webhooks) {
    return new EventSettings(enabled, retention, pruneInterval, pruneBatch, webhooks);
  }

  public EventSettings {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive");
    }
    if (pruneInterval.isNegative() || pruneInterval.isZero()) {
      throw new IllegalArgumentException("pruneInterval must be positive");
    }
    java.util.Objects.requireNonNull(webhooks, "webhooks");
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
        retention = Durations.parse(raw.get(), "d");
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
        env.bool("SKILLQUEST_EVENTS_ENABLED", d.enabled),
        retention,
        d.pruneInterval,
        d.pruneBatch,
        WebhookSettings.read(env, false));
  }
}
