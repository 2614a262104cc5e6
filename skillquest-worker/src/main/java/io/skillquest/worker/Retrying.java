package io.skillquest.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Runs {@link AwardProcessor#process} until it either finishes or fails for a reason of its own.
 * Outages (PostgreSQL down, a pool timeout, a deadlock) are waited out with backoff: nothing was
 * committed, so the attempt is simply tried again. A task that fails by itself three times is given up,
 * and its attempt stays 'submitted' for the recovery sweep.
 */
final class Retrying {

    private static final Logger log = LoggerFactory.getLogger(Retrying.class);
    private static final int MAX_OWN_FAILURES = 3;

    private final AwardProcessor processor;
    private final WorkerMetrics metrics;
    private final OutageBackoff database = new OutageBackoff("PostgreSQL", log);

    Retrying(AwardProcessor processor, WorkerMetrics metrics) {
        this.processor = processor;
        this.metrics = metrics;
    }

    /** Empty when shut down during an outage, or when the attempt kept failing; the failure is logged. */
    Optional<AwardOutcome> process(long attemptId, BooleanSupplier running) {
        RuntimeException last = null;
        for (int own = 0; own < MAX_OWN_FAILURES; ) {
            try {
                var outcome = processor.process(attemptId);
                database.succeeded();
                return Optional.of(outcome);
            } catch (RuntimeException e) {
                if (Failures.isTransient(e)) {
                    metrics.failure(Failures.isRedis(e) ? "redis" : "database");
                    database.failed(e);
                    if (!running.getAsBoolean()) return Optional.empty();
                    database.pause(running);
                    continue;
                }
                metrics.failure("task");
                last = e;
                own++;
            }
        }
        log.error("attempt {} failed {} times; leaving it 'submitted' for the recovery sweep", attemptId, MAX_OWN_FAILURES, last);
        return Optional.empty();
    }
}
