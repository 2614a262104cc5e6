package io.skillquest.worker;

import io.skillquest.core.queue.AwardTask;
import io.skillquest.core.queue.MalformedTaskException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The BRPOP loop. Wakes on a task, drains up to a batch with RPOP if the queue was busy, and awards
 * the batch in one transaction (or a few, side by side, when it is large and the worker has
 * threads). A popped task that is lost (the process dies) is not lost for good: its attempt is
 * still 'submitted' in PostgreSQL and the recovery sweep finds it.
 */
final class QueueConsumer implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);

  /**
   * Smaller chunks than this are not worth a transaction of their own: the round trips would
   * dominate.
   */
  private static final int MIN_CHUNK = 25;

  private final Supplier<UnifiedJedis> connect;
  private final UnifiedJedis redis;
  private final String queue;
  private final int batchSize;
  private final int brpopTimeoutSeconds;

  /** Longer than a BRPOP answered from a non-empty queue takes, even on a busy box. */
  private static final long WAITED_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final BatchRetry retrying;
  private final DeadLetters deadLetters;
  private final BooleanSupplier running;
  private final ExecutorService parallel;
  private final int threads;
  private final WorkerMetrics metrics;
  private final OutageBackoff redisBackoff = new OutageBackoff("Redis (award queue)", log);
  private UnifiedJedis blocking;

  /**
   * Where tasks come from: the queue, a dedicated blocking client for BRPOP (its own small pool,
   * also in a cluster or behind sentinels), the shared pool for everything else, and how many tasks
   * one wake-up takes.
   */
  record Intake(
      Supplier<UnifiedJedis> connect,
      UnifiedJedis redis,
      String queue,
      int batchSize,
      int brpopTimeoutSeconds) {

    /** The same queue, a task at a time. */
    Intake single() {
      return new Intake(connect, redis, queue, 1, brpopTimeoutSeconds);
    }
  }

  /**
   * What handles a batch: the award path with its retries, the dead letters for poison, and the
   * threads a large batch is split over ({@code parallel} null: the caller's thread alone).
   */
  record Handling(
      BatchRetry retrying,
      DeadLetters deadLetters,
      ExecutorService parallel,
      int threads,
      WorkerMetrics metrics) {}

  QueueConsumer(Intake intake, Handling handling, BooleanSupplier running) {
    this.connect = intake.connect();
    this.redis = intake.redis();
    this.queue = intake.queue();
    this.batchSize = intake.batchSize();
    this.brpopTimeoutSeconds = intake.brpopTimeoutSeconds();
    this.retrying = handling.retrying();
    this.deadLetters = handling.deadLetters();
    this.running = running;
    this.parallel = handling.parallel();
    this.threads = handling.threads();
    this.metrics = handling.metrics();
  }

  @Override
  public void run() {
    try {
      while (running.getAsBoolean()) {
        List<String> batch;
        try {
          batch = next();
          redisBackoff.succeeded();
        } catch (JedisException e) {
          disconnect();
          redisBackoff.failed(e);
          redisBackoff.pause(running);
          continue;
        }
        // a batch in hand is finished even when stopping: its tasks are already off the queue
        process(batch);
      }
    } finally {
      disconnect();
    }
  }

  private List<String> next() {
    if (blocking == null) {
      blocking = connect.get();
    }
    long asked = System.nanoTime();
    List<String> popped = blocking.brpop(brpopTimeoutSeconds, queue);
    if (popped == null || popped.size() < 2) {
      return List.of();
    }
    var batch = new ArrayList<String>(batchSize);
    batch.add(popped.get(1));
    // a BRPOP that had to wait found the queue empty: the task that woke it is almost surely alone,
    // and asking for more would only put a round trip before its award. Under load the queue is
    // never empty, BRPOP answers at once, and the RPOP fills the batch
    boolean waited = System.nanoTime() - asked > WAITED_NANOS;
    if (batchSize > 1 && !waited) {
      List<String> more = redis.rpop(queue, batchSize - 1);
      if (more != null) {
        batch.addAll(more);
      }
    }
    return batch;
  }

  /**
   * Parses the batch, dead-letters what cannot be parsed, and awards the rest in one transaction
   * per chunk.
   */
  void process(List<String> batch) {
    var payloads = new LinkedHashMap<Long, String>();
    var now = java.time.Instant.now();
    for (String payload : batch) {
      try {
        var task = AwardTask.parse(payload);
        metrics.queued(java.time.Duration.between(task.submittedAt(), now));
        payloads.putIfAbsent(task.attemptId(), payload);
      } catch (MalformedTaskException e) {
        deadLetters.add(payload, DeadLetters.Reason.MALFORMED, e.getMessage());
      } catch (RuntimeException e) {
        deadLetters.add(payload, DeadLetters.Reason.MALFORMED, e.toString());
      }
    }
    var ids = List.copyOf(payloads.keySet());
    if (ids.isEmpty()) {
      return;
    }
    int chunks = Math.min(threads, (ids.size() + MIN_CHUNK - 1) / MIN_CHUNK);
    if (chunks <= 1) {
      award(ids, payloads);
      return;
    }
    int size = (ids.size() + chunks - 1) / chunks;
    var jobs = new ArrayList<Callable<Void>>(chunks);
    for (int from = 0; from < ids.size(); from += size) {
      var chunk = ids.subList(from, Math.min(ids.size(), from + size));
      jobs.add(
          () -> {
            award(chunk, payloads);
            return null;
          });
    }
    try {
      for (var done : parallel.invokeAll(jobs)) {
        try {
          done.get();
        } catch (java.util.concurrent.ExecutionException e) {
          log.error("award batch failed", e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void handle(String payload) {
    process(List.of(payload));
  }

  private void award(List<Long> ids, Map<Long, String> payloads) {
    // stopping mid-outage is fine: the attempts stay 'submitted' and the sweep takes them later
    retrying
        .processAll(ids, running)
        .forEach(
            (id, outcome) -> {
              switch (outcome.result()) {
                case UNKNOWN_ATTEMPT ->
                    deadLetters.add(
                        payloads.get(id), DeadLetters.Reason.UNKNOWN_ATTEMPT, "no attempt " + id);
                case NOT_SUBMITTED ->
                    deadLetters.add(
                        payloads.get(id),
                        DeadLetters.Reason.NOT_SUBMITTED,
                        "attempt " + id + " was never submitted");
                default -> {}
              }
            });
  }

  private void disconnect() {
    if (blocking != null) {
      try {
        blocking.close();
      } catch (RuntimeException ignored) {
        // the socket is already broken; nothing to release
      }
      blocking = null;
    }
  }
}
