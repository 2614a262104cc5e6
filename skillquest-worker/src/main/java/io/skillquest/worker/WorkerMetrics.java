package io.skillquest.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's meters, registered in whatever registry the host process owns. */
final class WorkerMetrics {

  private final MeterRegistry registry;
  private final Counter awarded;
  private final Counter alreadyProcessed;
  private final Timer lag;
  private final AtomicLong queueLength = new AtomicLong();
  private final Map<Phase, Timer> phases = new EnumMap<>(Phase.class);

  /**
   * Where an award's time goes. {@code queued} is per task (submitted_at until the worker took it
   * off the queue); the others are per batch transaction, in the order they run, so their means add
   * up to a batch's wall time.
   */
  enum Phase {
    QUEUED,
    CHECKOUT,
    /** The first round trip: lock the attempts and owners, read what XP and badges depend on. */
    LOCK,
    /** Java alone: the XP, the badges earned and the events. */
    DECIDE,
    /** The second round trip: settle, insert badges, write events, commit. */
    SETTLE,
    LEADERBOARD,
    PERIOD_BOARDS;

    final String tag = name().toLowerCase(Locale.ROOT);
  }

  /**
   * A stopwatch over one batch: each lap is charged to the phase it ends. One per batch and thread.
   */
  final class Laps {
    private long last = System.nanoTime();

    void lap(Phase phase) {
      long now = System.nanoTime();
      phases.get(phase).record(now - last, TimeUnit.NANOSECONDS);
      last = now;
    }
  }

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
    for (var phase : Phase.values()) {
      phases.put(
          phase,
          Timer.builder("skillquest.worker.award.phase")
              .tag("phase", phase.tag)
              .description("time per part of the award path: per task for queued, else per batch")
              .register(registry));
    }
    // the server's name for the same gauge: hosted in one process, the server's stands (Micrometer
    // would ignore a second one, with a warning)
    if (registry.find("skillquest.queue.length").gauge() == null) {
      Gauge.builder("skillquest.queue.length", queueLength, AtomicLong::get)
          .description("Award tasks waiting in the Redis queue")
          .register(registry);
    }
  }

  void processed(Duration submitToAward) {
    awarded.increment();
    lag.record(submitToAward.isNegative() ? Duration.ZERO : submitToAward);
  }

  /** Starts timing a batch's phases. */
  Laps laps() {
    return new Laps();
  }

  /** A task's time in the queue: from its submitted_at until the worker took it. */
  void queued(Duration sinceSubmitted) {
    phases.get(Phase.QUEUED).record(sinceSubmitted.isNegative() ? Duration.ZERO : sinceSubmitted);
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
