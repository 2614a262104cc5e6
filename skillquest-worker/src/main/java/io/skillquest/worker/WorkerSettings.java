package io.skillquest.worker;

import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.Env;
import io.skillquest.store.leaderboard.PeriodSettings;
import java.time.Duration;
import java.util.Map;

/**
 * Tuning of a {@link Worker}. Defaults suit production; tests shorten the periods.
 *
 * @param grace how long a submitted attempt may wait for its queued task before the recovery sweep
 *     processes it from the database (SKILLQUEST_WORKER_GRACE_SECONDS, 30)
 * @param sweepInterval how often the recovery sweep looks for overdue attempts
 * @param batchSize tasks taken per BRPOP wake-up (one BRPOP, then, unless it had to wait for the
 *     task, RPOP up to batchSize - 1) (SKILLQUEST_WORKER_BATCH_SIZE, 100)
 * @param backfillInterval how often retroactive badges are looked for
 * @param upkeepInterval how often the leaderboard is checked against the database
 * @param metricsPort the Prometheus endpoint's port when run by {@link WorkerMain}; 0 disables
 *     (SKILLQUEST_WORKER_METRICS_PORT, 9091)
 * @param metricsBind the address that endpoint listens on (SKILLQUEST_WORKER_METRICS_BIND,
 *     127.0.0.1: metrics show internals, so only a local scraper sees them unless an operator opens
 *     them to a private network with 0.0.0.0 or an interface address)
 * @param dbPoolSize connections WorkerMain opens (SKILLQUEST_WORKER_DB_POOL_SIZE, 8)
 * @param threads transactions one large batch is split into, run side by side
 *     (SKILLQUEST_WORKER_THREADS, the number of cores, at most 4); each chunk holds at least 25
 *     tasks. More is not better on a small box: chunks holding the same users queue on their row
 *     locks, and PostgreSQL shares the cores
 * @param freezeRule the streak freeze rule {@code consecutive_days} badges are judged by: one
 *     freeze earned per SKILLQUEST_STREAK_FREEZE_EVERY (7) consecutive days, at most
 *     SKILLQUEST_STREAK_FREEZE_MAX (2; 0 turns freezes off) held. The server reads the same
 *     variables, so progress and badges count streaks alike
 * @param periods the day, week and month boards' zone, retention and finalisation grace
 *     (SKILLQUEST_LEADERBOARD_ZONE, SKILLQUEST_LEADERBOARD_RETENTION, SKILLQUEST_LEADERBOARD_GRACE)
 * @param events the event outbox: on or off, and how long events are kept (see {@link
 *     EventSettings})
 * @param periodBoards whether awards raise the live day, week and month boards
 *     (SKILLQUEST_WORKER_PERIOD_BOARDS, true). Off only to measure what they cost: reads then find
 *     stale sets, and final standings still come from attempts
 */
public record WorkerSettings(
    Duration grace,
    Duration sweepInterval,
    int batchSize,
    Duration backfillInterval,
    Duration upkeepInterval,
    int metricsPort,
    String metricsBind,
    int dbPoolSize,
    int threads,
    FreezeRule freezeRule,
    PeriodSettings periods,
    EventSettings events,
    boolean periodBoards) {

  /** Settings with the live period boards on. */
  public WorkerSettings(
      Duration grace,
      Duration sweepInterval,
      int batchSize,
      Duration backfillInterval,
      Duration upkeepInterval,
      int metricsPort,
      String metricsBind,
      int dbPoolSize,
      int threads,
      FreezeRule freezeRule,
      PeriodSettings periods,
      EventSettings events) {
    this(
        grace,
        sweepInterval,
        batchSize,
        backfillInterval,
        upkeepInterval,
        metricsPort,
        metricsBind,
        dbPoolSize,
        threads,
        freezeRule,
        periods,
        events,
        true);
  }

  /** Settings with the default event outbox. */
  public WorkerSettings(
      Duration grace,
      Duration sweepInterval,
      int batchSize,
      Duration backfillInterval,
      Duration upkeepInterval,
      int metricsPort,
      String metricsBind,
      int dbPoolSize,
      int threads,
      FreezeRule freezeRule,
      PeriodSettings periods) {
    this(
        grace,
        sweepInterval,
        batchSize,
        backfillInterval,
        upkeepInterval,
        metricsPort,
        metricsBind,
        dbPoolSize,
        threads,
        freezeRule,
        periods,
        EventSettings.DEFAULT);
  }

  /** Settings with the default streak freeze rule and period boards. */
  public WorkerSettings(
      Duration grace,
      Duration sweepInterval,
      int batchSize,
      Duration backfillInterval,
      Duration upkeepInterval,
      int metricsPort,
      String metricsBind,
      int dbPoolSize,
      int threads) {
    this(
        grace,
        sweepInterval,
        batchSize,
        backfillInterval,
        upkeepInterval,
        metricsPort,
        metricsBind,
        dbPoolSize,
        threads,
        FreezeRule.DEFAULT,
        PeriodSettings.DEFAULT);
  }

  public WorkerSettings {
    java.util.Objects.requireNonNull(freezeRule, "freezeRule");
    java.util.Objects.requireNonNull(periods, "periods");
    java.util.Objects.requireNonNull(events, "events");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("sweepInterval must be positive");
    }
    if (backfillInterval.isNegative() || backfillInterval.isZero()) {
      throw new IllegalArgumentException("backfillInterval must be positive");
    }
    if (upkeepInterval.isNegative() || upkeepInterval.isZero()) {
      throw new IllegalArgumentException("upkeepInterval must be positive");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("metricsPort must be 0..65535");
    }
    if (metricsBind == null || metricsBind.isBlank()) {
      throw new IllegalArgumentException("metricsBind must be an address");
    }
    if (dbPoolSize < 2) {
      throw new IllegalArgumentException("dbPoolSize must be at least 2");
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be 1..64");
    }
    // each award thread holds a connection, and the sweep, backfill and upkeep need theirs
    if (dbPoolSize < threads + 3) {
      throw new IllegalArgumentException(
          "dbPoolSize (" + dbPoolSize + ") must be at least threads (" + threads + ") + 3");
    }
  }

  /** These settings with {@code freezeRule} and {@code periods} instead. */
  public WorkerSettings withStreaksAndPeriods(FreezeRule freezeRule, PeriodSettings periods) {
    return new WorkerSettings(
        grace,
        sweepInterval,
        batchSize,
        backfillInterval,
        upkeepInterval,
        metricsPort,
        metricsBind,
        dbPoolSize,
        threads,
        freezeRule,
        periods,
        events,
        periodBoards);
  }

  /** These settings with {@code events} instead. */
  public WorkerSettings withEvents(EventSettings events) {
    return new WorkerSettings(
        grace,
        sweepInterval,
        batchSize,
        backfillInterval,
        upkeepInterval,
        metricsPort,
        metricsBind,
        dbPoolSize,
        threads,
        freezeRule,
        periods,
        events,
        periodBoards);
  }

  /** These settings with the live period boards on or off. */
  public WorkerSettings withPeriodBoards(boolean periodBoards) {
    return new WorkerSettings(
        grace,
        sweepInterval,
        batchSize,
        backfillInterval,
        upkeepInterval,
        metricsPort,
        metricsBind,
        dbPoolSize,
        threads,
        freezeRule,
        periods,
        events,
        periodBoards);
  }

  public static WorkerSettings defaults() {
    return new WorkerSettings(
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        100,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        9091,
        "127.0.0.1",
        8,
        Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Reads the SKILLQUEST_WORKER_* variables; anything unset keeps its default.
   *
   * @throws IllegalArgumentException naming every malformed variable
   */
  public static WorkerSettings fromEnv(Map<String, String> vars) {
    var env = new Env(vars);
    var settings = read(env);
    env.validate();
    return settings;
  }

  /** Reads the SKILLQUEST_WORKER_* variables, recording problems in {@code env}. */
  public static WorkerSettings read(Env env) {
    var d = defaults();
    var grace =
        Duration.ofSeconds(
            env.integer("SKILLQUEST_WORKER_GRACE_SECONDS", (int) d.grace.toSeconds(), 0, 86_400));
    // look at least a few times per grace period, but no more often than every 500 ms
    var sweep =
        grace.dividedBy(3).compareTo(d.sweepInterval) < 0
            ? max(grace.dividedBy(3), Duration.ofMillis(500))
            : d.sweepInterval;
    int threads = env.integer("SKILLQUEST_WORKER_THREADS", d.threads, 1, 64);
    int pool =
        env.integer("SKILLQUEST_WORKER_DB_POOL_SIZE", Math.max(d.dbPoolSize, threads + 3), 2, 500);
    if (pool < threads + 3) {
      env.error(
          "SKILLQUEST_WORKER_DB_POOL_SIZE ("
              + pool
              + ") must be at least SKILLQUEST_WORKER_THREADS ("
              + threads
              + ") + 3");
      pool = threads + 3;
    }
    return new WorkerSettings(
        grace,
        sweep,
        env.integer("SKILLQUEST_WORKER_BATCH_SIZE", d.batchSize, 1, 10_000),
        d.backfillInterval,
        d.upkeepInterval,
        env.integer("SKILLQUEST_WORKER_METRICS_PORT", d.metricsPort, 0, 65_535),
        env.string("SKILLQUEST_WORKER_METRICS_BIND", d.metricsBind),
        pool,
        threads,
        freezeRule(env),
        PeriodSettings.read(env),
        EventSettings.read(env),
        env.bool("SKILLQUEST_WORKER_PERIOD_BOARDS", true));
  }

  /**
   * SKILLQUEST_STREAK_FREEZE_EVERY (7, 1..366) and SKILLQUEST_STREAK_FREEZE_MAX (2, 0..100; 0 turns
   * freezes off), recording problems in {@code env}. Public so the server reads them the same way.
   */
  public static FreezeRule freezeRule(Env env) {
    int every =
        env.integer(
            "SKILLQUEST_STREAK_FREEZE_EVERY", FreezeRule.DEFAULT.every(), 1, FreezeRule.MAX_EVERY);
    int max =
        env.integer(
            "SKILLQUEST_STREAK_FREEZE_MAX", FreezeRule.DEFAULT.max(), 0, FreezeRule.MAX_HELD);
    return new FreezeRule(every, max);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
