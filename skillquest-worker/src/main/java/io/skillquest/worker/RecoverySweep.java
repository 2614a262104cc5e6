package io.skillquest.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once delivery's second half: finds attempts still 'submitted' after the grace period
 * (their task was lost with Redis, or with a worker killed mid-batch) and processes them from the
 * database. Safe beside other workers and the queue: the award transaction locks the attempt with
 * SKIP LOCKED and only moves it out of 'submitted' once.
 */
final class RecoverySweep {

  private static final Logger log = LoggerFactory.getLogger(RecoverySweep.class);
  private static final int PAGE = 500;

  private final PendingAttemptDao pending;
  private final BatchRetry retrying;
  private final Duration grace;
  private final int batchSize;

  RecoverySweep(Jdbi jdbi, BatchRetry retrying, Duration grace, int batchSize) {
    this.pending = new PendingAttemptDao(jdbi);
    this.retrying = retrying;
    this.grace = grace;
    this.batchSize = batchSize;
  }

  /**
   * @return attempts this pass processed
   */
  int sweep(BooleanSupplier running) {
    int processed = 0;
    double graceSeconds = grace.toMillis() / 1000.0;
    while (running.getAsBoolean()) {
      var overdue = pending.overdue(graceSeconds, PAGE);
      int progressed = 0;
      for (int from = 0; from < overdue.size() && running.getAsBoolean(); from += batchSize) {
        var batch = overdue.subList(from, Math.min(overdue.size(), from + batchSize));
        for (var outcome : retrying.processAll(batch, running).values()) {
          if (outcome.result() == AwardOutcome.Result.PROCESSED) {
            processed++;
            progressed++;
          }
        }
      }
      // a short page means we caught up; no progress means the rest is busy elsewhere or failing
      if (overdue.size() < PAGE || progressed == 0) {
        break;
      }
    }
    if (processed > 0) {
      log.info("recovered {} submitted attempts whose award task was lost", processed);
    }
    return processed;
  }
}
