package io.skillquest.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's meters, registered in whatever registry the host process owns. */
final class WorkerMetrics {

  private final MeterRegistry registry;
  private final Counter awarded;
  private final Counter alreadyProcessed;
  private final Timer lag;
  private final AtomicLong queueLength = new AtomicLong();

  WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.awarded =
        Counter.builder("skillquest.worker.awards")
            .tag("result", "processed")
            .description("attempts moved from submitted to passed or failed")
            .register(registry);
    this.alreadyProcessed =
        Counter.builder("skillquest.worker.awards")
            .tag("result", "already_processed")
            .description("tasks for attempts that were already processed (redelivery, no-op)")
            .register(registry);
    this.lag =
        Timer.builder("skillquest.worker.award.lag")
            .description("time from submit to the committed award")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    // the server's name for the same gauge: hosted in one process, the first one registered wins
    Gauge.builder("skillquest.queue.length", queueLength, AtomicLong::get)
        .description("Award tasks waiting in the Redis queue")
        .register(registry);
  }

  void processed(Duration submitToAward) {
    awarded.increment();
    lag.record(submitToAward.isNegative() ? Duration.ZERO : submitToAward);
  }

  void alreadyProcessed() {
    alreadyProcessed.increment();
  }

  /** kind: "database", "redis" or "task". */
  void failure(String kind) {
    registry.counter("skillquest.worker.failures", "kind", kind).increment();
  }

  void deadLetter(String reason) {
    registry.counter("skillquest.worker.dead.letters", "reason", reason).increment();
  }

  void queueLength(long length) {
    queueLength.set(length);
  }
}
