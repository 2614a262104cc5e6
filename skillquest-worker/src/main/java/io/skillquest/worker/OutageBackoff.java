package io.skillquest.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * Exponential backoff for one loop's dependency (Redis or PostgreSQL), logging once when an outage
 * starts and once when it ends, never once per retry: a loop spinning against a dead server must
 * not flood the log.
 */
final class OutageBackoff {

  private static final long FIRST_DELAY_MILLIS = 100;
  private static final long MAX_DELAY_MILLIS = 5_000;

  private final String what;
  private final Logger log;
  private long delayMillis;
  private long outageStartedNanos;
  private boolean inOutage;

  OutageBackoff(String what, Logger log) {
    this.what = what;
    this.log = log;
  }

  synchronized void failed(Exception e) {
    if (!inOutage) {
      inOutage = true;
      outageStartedNanos = System.nanoTime();
      log.warn(
          "{} unavailable, retrying with backoff (up to {} ms): {}",
          what,
          MAX_DELAY_MILLIS,
          Failures.describe(e));
    }
    delayMillis =
        delayMillis == 0 ? FIRST_DELAY_MILLIS : Math.min(MAX_DELAY_MILLIS, delayMillis * 2);
  }

  synchronized void succeeded() {
    if (inOutage) {
      inOutage = false;
      log.info(
          "{} available again after {} ms",
          what,
          Duration.ofNanos(System.nanoTime() - outageStartedNanos).toMillis());
    }
    delayMillis = 0;
  }

  synchronized boolean inOutage() {
    return inOutage;
  }

  /** Sleeps the current delay in short steps, returning early once {@code running} turns false. */
  void pause(BooleanSupplier running) {
    long until = System.nanoTime() + Duration.ofMillis(delayMillis).toNanos();
    try {
      while (running.getAsBoolean() && System.nanoTime() < until) {
        Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
