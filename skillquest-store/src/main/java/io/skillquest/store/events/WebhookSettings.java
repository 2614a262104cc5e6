package io.skillquest.store.events;

import io.skillquest.store.Env;
import java.time.Duration;

/**
 * How webhooks are checked and delivered; the server checks URLs with it, the worker delivers.
 *
 * @param allowPrivate whether URLs may point at loopback, private, link-local, unspecified or
 *     multicast addresses (SKILLQUEST_WEBHOOK_ALLOW_PRIVATE; false, except in the embedded dev
 *     mode, where a developer's receiver runs on the same machine)
 * @param timeout connect and response timeout of one delivery (10 s)
 * @param maxAttempts tries per delivery before the endpoint is disabled
 *     (SKILLQUEST_WEBHOOK_MAX_ATTEMPTS, 10)
 * @param firstRetry the delay before the first retry, grown {@code factor} times per further try,
 *     each with up to 25% jitter either way (SKILLQUEST_WEBHOOK_FIRST_RETRY, 5 s: with factor 3.2
 *     the tenth try comes about 22 hours after the first)
 * @param factor the backoff's growth per try
 * @param threads endpoints delivered side by side by one worker (SKILLQUEST_WEBHOOK_THREADS, 4)
 * @param pollInterval how often the worker looks for new events and due retries
 */
public record WebhookSettings(
    boolean allowPrivate,
    Duration timeout,
    int maxAttempts,
    Duration firstRetry,
    double factor,
    int threads,
    Duration pollInterval) {

  public static final WebhookSettings DEFAULT =
      new WebhookSettings(
          false, Duration.ofSeconds(10), 10, Duration.ofSeconds(5), 3.2, 4, Duration.ofMillis(500));

  public WebhookSettings {
    if (maxAttempts < 1 || threads < 1 || factor < 1) {
      throw new IllegalArgumentException("maxAttempts, threads and factor must be at least 1");
    }
    if (timeout.isNegative() || timeout.isZero() || firstRetry.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, firstRetry not negative");
    }
  }

  /** The delay before try {@code attempt + 1}, after {@code attempt} failed tries, unjittered. */
  public Duration backoff(int attempts) {
    double ms = firstRetry.toMillis() * Math.pow(factor, Math.max(0, attempts - 1));
    return Duration.ofMillis((long) Math.min(ms, Duration.ofDays(2).toMillis()));
  }

  public WebhookSettings withAllowPrivate(boolean allow) {
    return new WebhookSettings(
        allow, timeout, maxAttempts, firstRetry, factor, threads, pollInterval);
  }

  /**
   * Reads the SKILLQUEST_WEBHOOK_* variables, recording problems in {@code env}.
   *
   * @param allowPrivateByDefault the default of SKILLQUEST_WEBHOOK_ALLOW_PRIVATE
   */
  public static WebhookSettings read(Env env, boolean allowPrivateByDefault) {
    var d = DEFAULT;
    Duration firstRetry = d.firstRetry;
    var raw = env.value("SKILLQUEST_WEBHOOK_FIRST_RETRY");
    if (raw.isPresent()) {
      try {
        firstRetry = Durations.parse(raw.get(), "s");
        if (firstRetry.isNegative()) {
          throw new IllegalArgumentException("negative");
        }
      } catch (RuntimeException e) {
        env.error("SKILLQUEST_WEBHOOK_FIRST_RETRY: expected a duration like 5s, 500ms or PT5S");
      }
    }
    return new WebhookSettings(
        env.bool("SKILLQUEST_WEBHOOK_ALLOW_PRIVATE", allowPrivateByDefault),
        d.timeout,
        env.integer("SKILLQUEST_WEBHOOK_MAX_ATTEMPTS", d.maxAttempts, 1, 100),
        firstRetry,
        d.factor,
        env.integer("SKILLQUEST_WEBHOOK_THREADS", d.threads, 1, 64),
        d.pollInterval);
  }
}
