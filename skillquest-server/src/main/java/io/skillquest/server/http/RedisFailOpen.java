package io.skillquest.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Redis call that failed and was let through anyway: a counter per check, and a warning
 * at most every ten seconds so an outage does not flood the log.
 */
public final class RedisFailOpen {
  private static final Logger log = LoggerFactory.getLogger(RedisFailOpen.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final String check;
  private final Counter counter;
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  public RedisFailOpen(String check, MeterRegistry registry) {
    this.check = check;
    this.counter =
        Counter.builder("skillquest.redis.fail.open")
            .description(
                "Redis checks skipped because Redis did not answer (the request was allowed)")
            .tag("check", check)
            .register(registry);
  }

  public void record(Exception e) {
    counter.increment();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
      log.warn("Redis unavailable, {} check skipped (failing open): {}", check, e.toString());
    }
  }
}
