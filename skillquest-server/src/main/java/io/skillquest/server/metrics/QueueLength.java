package io.skillquest.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.UnifiedJedis;

/**
 * The award queue's length as a gauge. LLEN is cached for a second so frequent scrapes (or several
 * registries) cost Redis at most one call per second; NaN while Redis does not answer.
 */
public final class QueueLength {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final UnifiedJedis redis;
  private final String key;
  private long readAt = System.nanoTime() - REFRESH_NANOS;
  private double value = Double.NaN;

  private QueueLength(UnifiedJedis redis, String key) {
    this.redis = redis;
    this.key = key;
  }

  public static void register(MeterRegistry registry, UnifiedJedis redis, String queueKey) {
    // a strong reference: Micrometer holds gauge objects weakly, and a collected one reads NaN
    Gauge.builder("skillquest.queue.length", new QueueLength(redis, queueKey), QueueLength::value)
        .description("Award tasks waiting in the Redis queue")
        .strongReference(true)
        .register(registry);
  }

  synchronized double value() {
    long now = System.nanoTime();
    if (now - readAt >= REFRESH_NANOS) {
      readAt = now;
      try {
        value = redis.llen(key);
      } catch (RuntimeException e) {
        value = Double.NaN;
      }
    }
    return value;
  }
}
