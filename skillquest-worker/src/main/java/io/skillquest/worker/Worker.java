package io.skillquest.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.core.Keys;
import io.skillquest.store.RedisClients;
import io.skillquest.store.StoreConfig;
import io.skillquest.store.events.EventStore;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.PeriodBoards;
import io.skillquest.store.leaderboard.PeriodFinals;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The award pipeline, embeddable: {@link WorkerMain} runs one, and so does the server in its
 * embedded mode. It owns its Redis connections and threads, but not the database pool, the meter
 * registry or the process: no global state, no System.exit.
 *
 * <p>Threads: the BRPOP loop; and a small scheduler for the recovery sweep, the badge backfill,
 * leaderboard upkeep (rebuild when missing or stale, republish recent changes) and queue-length
 * sampling; and a small pool delivering webhooks, one endpoint per thread at a time. Every periodic
 * job survives failures and logs an outage once.
 */
public final class Worker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final AtomicInteger instances = new AtomicInteger();

  private final Jdbi jdbi;
  private final StoreConfig config;
  private final WorkerSettings settings;
  private final Keys keys;
  private final UnifiedJedis redis;
  private final WorkerMetrics metrics;
  private final MeterRegistry registry;
  private final AwardProcessor processor;
  private final BatchRetry retrying;
  private final RecoverySweep sweep;
  private final BadgeBackfill backfill;
  private final LeaderboardStore leaderboard;
  private final PeriodBoards periodBoards;
  private final PeriodFinals periodFinals;
  private final DeadLetters deadLetters;
  private final EventStore events;
  private final String name;

  private volatile boolean running;
  private Thread consumer;
  private ScheduledExecutorService scheduler;
  private WebhookDispatcher webhooks;
  private java.util.concurrent.ExecutorService parallel;

  public Worker(Jdbi jdbi, StoreConfig config, MeterRegistry registry) {
    this(jdbi, config, registry, WorkerSettings.defaults());
  }

  public Worker(Jdbi jdbi, StoreConfig config, MeterRegistry registry, WorkerSettings settings) {
    this.jdbi = jdbi;
    this.config = config;
    this.settings = settings;
    this.keys = config.keys();
    this.redis = RedisClients.pooled(config, 8 + settings.threads());
    this.metrics = new WorkerMetrics(registry);
    this.registry = registry;
    var conditions = new BadgeConditions();
    this.leaderboard = new LeaderboardStore(jdbi, redis, keys);
    this.periodBoards = new PeriodBoards(jdbi, redis, keys, settings.periods());
    this.periodFinals = new PeriodFinals(jdbi, settings.periods());
    this.processor =
        new AwardProcessor(
            jdbi,
            leaderboard,
            new BadgeCatalogue(conditions),
            metrics,
            settings.freezeRule(),
            settings.periodBoards() ? periodBoards : null,
            settings.events().enabled());
    this.retrying = new BatchRetry(processor, metrics);
    this.sweep = new RecoverySweep(jdbi, retrying, settings.grace(), settings.batchSize());
    this.backfill =
        new BadgeBackfill(jdbi, conditions, settings.freezeRule(), settings.events().enabled());
    this.events = new EventStore(jdbi);
    this.deadLetters = new DeadLetters(redis, keys, metrics);
    this.name = "skillquest-worker-" + instances.incrementAndGet();
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    var taskThreads = new AtomicInteger();
    parallel =
        settings.threads() == 1
            ? null
            : Executors.newFixedThreadPool(
                settings.threads(),
                r -> {
                  var t = new Thread(r, name + "-award-" + taskThreads.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
    var queue =
        new QueueConsumer(
            intake(),
            new QueueConsumer.Handling(
                retrying, deadLetters, parallel, settings.threads(), metrics),
            this::running);
    consumer = new Thread(queue, name + "-queue");
    consumer.start();

    var threads = new AtomicInteger();
    scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              var t = new Thread(r, name + "-maintenance-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    scheduler.execute(this::adoptLegacyDeadLetters);
    every("recovery sweep", Duration.ZERO, settings.sweepInterval(), this::sweepNow);
    every("badge backfill", Duration.ofMillis(200), settings.backfillInterval(), this::backfillNow);
    every("leaderboard upkeep", Duration.ZERO, settings.upkeepInterval(), this::upkeepNow);
    every(
        "period finalisation",
        Duration.ofMillis(500),
        settings.upkeepInterval(),
        () -> finalisePeriodsNow(java.time.Instant.now()));
    webhooks =
        new WebhookDispatcher(
            jdbi,
            settings.events().webhooks(),
            registry,
            name + "-" + java.util.UUID.randomUUID(),
            this::running);
    every(
        "webhook deliveries",
        Duration.ofMillis(100),
        settings.events().webhooks().pollInterval(),
        webhooks::poll);
    every("webhook lag", Duration.ofSeconds(1), Duration.ofSeconds(5), webhooks::measureLag);
    every(
        "event pruning",
        Duration.ofSeconds(1),
        settings.events().pruneInterval(),
        () -> pruneEventsNow(java.time.Instant.now()));
    every(
        "queue length",
        Duration.ZERO,
        Duration.ofSeconds(5),
        () -> metrics.queueLength(redis.llen(keys.queue())));
    log.info("{} started: queue {}, grace {} s", name, keys.queue(), settings.grace().toSeconds());
  }

  /**
   * Finishes the task batch in hand, stops every thread, and closes the Redis connections it
   * opened.
   */
  @Override
  public void close() {
    Thread queueThread;
    ScheduledExecutorService maintenance;
    synchronized (this) {
      if (!running) {
        redis.close();
        return;
      }
      running = false;
      queueThread = consumer;
      maintenance = scheduler;
    }
    try {
      queueThread.join(Duration.ofSeconds(30).toMillis());
      if (parallel != null) {
        parallel.shutdown();
      }
      maintenance.shutdown();
      if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
        maintenance.shutdownNow();
      }
      // a request in flight finishes (at most its timeout); its result is recorded
      webhooks.close();
    } catch (InterruptedException e) {
      maintenance.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      periodBoards.close();
      redis.close();
    }
    log.info("{} stopped", name);
  }

  public boolean running() {
    return running;
  }

  /** The rebuilder bound to this worker's Redis; the server may use it for its own checks. */
  public LeaderboardStore leaderboard() {
    return leaderboard;
  }

  /** Processes overdue submitted attempts now (also runs every sweep interval). */
  public int sweepNow() {
    return sweep.sweep(this::runningOrIdle);
  }

  /** Runs pending retroactive badge passes now (also runs every backfill interval). */
  public int backfillNow() {
    return backfill.backfill(this::runningOrIdle);
  }

  /** Leaderboard upkeep now: rebuild if missing or stale, then republish recently changed users. */
  public void upkeepNow() {
    leaderboard.upkeep();
  }

  /**
   * Writes the final standings of every period window that ended at least the grace before {@code
   * now} and has none yet, and drops windows past retention (also runs every upkeep interval).
   *
   * @return the windows finalised by this call
   */
  public java.util.List<io.skillquest.core.leaderboard.PeriodWindow> finalisePeriodsNow(
      java.time.Instant now) {
    return periodFinals.finaliseDue(now);
  }

  /**
   * Deletes events older than the retention before {@code now}, and finished webhook deliveries
   * older than it, in bounded batches (also runs every prune interval). Only the worker prunes, so
   * HTTP requests never wait for it.
   *
   * @return how many were deleted
   */
  public long pruneEventsNow(java.time.Instant now) {
    var retention = settings.events().retention();
    long deleted = events.prune(retention, settings.events().pruneBatch(), now);
    long deliveries = new WebhookDeliveryDao(jdbi).prune(retention, settings.events().pruneBatch());
    if (deleted + deliveries > 0) {
      log.info(
          "pruned {} events and {} finished webhook deliveries older than {}",
          deleted,
          deliveries,
          retention);
    }
    return deleted;
  }

  /** The live period boards bound to this worker's Redis. */
  public PeriodBoards periodBoards() {
    return periodBoards;
  }

  /**
   * Handles one raw queue message exactly as the BRPOP loop would (tests, replaying dead letters).
   */
  public void handle(String payload) {
    new QueueConsumer(
            intake().single(),
            new QueueConsumer.Handling(retrying, deadLetters, null, 1, metrics),
            this::runningOrIdle)
        .handle(payload);
  }

  private void adoptLegacyDeadLetters() {
    try {
      DeadLetters.adoptLegacy(redis, keys);
    } catch (RuntimeException e) {
      // they stay where they are, and the next start (or a replay) moves them
      log.warn("could not move dead letters from {}: {}", keys.legacyDeadLetters(), e.toString());
    }
  }

  private QueueConsumer.Intake intake() {
    return new QueueConsumer.Intake(
        () -> RedisClients.blocking(config),
        redis,
        keys.queue(),
        settings.batchSize(),
        (int) Math.max(1, RedisClients.BRPOP_TIMEOUT.toSeconds()));
  }

  private boolean runningOrIdle() {
    // direct calls on a worker that was never started run to completion; a started one stops when
    // closed
    return running || consumer == null;
  }

  private void every(String job, Duration initialDelay, Duration period, Runnable task) {
    var backoff = new OutageBackoff(job, log);
    scheduler.scheduleWithFixedDelay(
        () -> {
          if (!running) {
            return;
          }
          try {
            task.run();
            backoff.succeeded();
          } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
              metrics.failure(Failures.isRedis(e) ? "redis" : "database");
              backoff.failed(e);
            } else {
              metrics.failure("task");
              log.error("{} failed", job, e);
            }
          }
        },
        initialDelay.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
