package io.skillquest.worker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AwardProcessor#processAll} until it either finishes or fails for a reason of its own.
 * Outages (PostgreSQL down, a pool timeout, a deadlock) are waited out with backoff: nothing was
 * committed, so the batch is simply tried again. A batch that fails by itself is split into single
 * attempts, so one poisoned attempt cannot hold back the others; a single attempt that fails by
 * itself three times is given up, and stays 'submitted' for the recovery sweep.
 */
final class BatchRetry {

  private static final Logger log = LoggerFactory.getLogger(BatchRetry.class);
  private static final int MAX_OWN_FAILURES = 3;

  private final AwardProcessor processor;
  private final WorkerMetrics metrics;
  private final OutageBackoff database = new OutageBackoff("PostgreSQL", log);

  BatchRetry(AwardProcessor processor, WorkerMetrics metrics) {
    this.processor = processor;
    this.metrics = metrics;
  }

  /**
   * Empty when shut down during an outage, or when the attempt kept failing; the failure is logged.
   */
  Optional<AwardOutcome> process(long attemptId, BooleanSupplier running) {
    return Optional.ofNullable(processAll(List.of(attemptId), running).get(attemptId));
  }

  /**
   * An outcome for every attempt that was processed or skipped; those left out stay 'submitted'.
   */
  Map<Long, AwardOutcome> processAll(List<Long> attemptIds, BooleanSupplier running) {
    RuntimeException last = null;
    for (int own = 0; own < MAX_OWN_FAILURES; ) {
      try {
        var outcomes = processor.processAll(attemptIds);
        database.succeeded();
        return outcomes;
      } catch (RuntimeException e) {
        if (Failures.isTransient(e)) {
          metrics.failure(Failures.isRedis(e) ? "redis" : "database");
          database.failed(e);
          if (!running.getAsBoolean()) {
            return Map.of();
          }
          database.pause(running);
          continue;
        }
        metrics.failure("task");
        if (attemptIds.size() > 1) {
          log.warn(
              "a batch of {} attempts failed ({}); processing them one by one",
              attemptIds.size(),
              Failures.describe(e));
          return oneByOne(attemptIds, running);
        }
        last = e;
        own++;
      }
    }
    log.error(
        "attempt {} failed {} times; leaving it 'submitted' for the recovery sweep",
        attemptIds.get(0),
        MAX_OWN_FAILURES,
        last);
    return Map.of();
  }

  private Map<Long, AwardOutcome> oneByOne(List<Long> attemptIds, BooleanSupplier running) {
    var outcomes = new LinkedHashMap<Long, AwardOutcome>();
    for (long id : attemptIds) {
      if (!running.getAsBoolean()) {
        break;
      }
      outcomes.putAll(processAll(List.of(id), running));
    }
    return outcomes;
  }
}
