package io.skillquest.worker;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.skillquest.store.Database;
import io.skillquest.store.Env;
import io.skillquest.store.RedisClients;
import io.skillquest.store.StoreConfig;
import io.skillquest.store.leaderboard.LeaderboardStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar skillquest-worker.jar} runs the worker until SIGTERM (it finishes the task in
 * hand and exits 0); {@code java -jar skillquest-worker.jar rebuild-leaderboard} rebuilds the
 * leaderboard from PostgreSQL once and exits; {@code dead-letters} and {@code replay-dead-letters}
 * show the tasks set aside as poison and put them back on the queue. Configuration comes from the
 * environment, the same variables as the server's plus SKILLQUEST_WORKER_*.
 */
public final class WorkerMain {

  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "run" : args[0];
    if (List.of("help", "--help", "-h").contains(command)) {
      System.out.println(usage());
      return;
    }
    StoreConfig stores;
    WorkerSettings settings;
    try {
      var env = Env.system();
      var external = StoreConfig.read(env);
      if (external.isEmpty()) {
        env.error("SKILLQUEST_DB_URL and SKILLQUEST_REDIS_URL are required");
      }
      settings = WorkerSettings.read(env);
      env.validate();
      stores = external.orElseThrow();
    } catch (IllegalArgumentException e) {
      System.err.println("skillquest-worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    switch (command) {
      case "run" -> run(stores, settings);
      case "rebuild-leaderboard" -> System.exit(rebuildLeaderboard(stores));
      case "dead-letters" -> System.exit(deadLetters(stores, false));
      case "replay-dead-letters" -> System.exit(deadLetters(stores, true));
      default -> {
        System.err.println("skillquest-worker: unknown command '" + command + "'\n" + usage());
        System.exit(2);
      }
    }
  }

  private static String usage() {
    return """
                usage: skillquest-worker [run | rebuild-leaderboard | dead-letters | replay-dead-letters]
                  run                  consume award tasks until SIGTERM (default)
                  rebuild-leaderboard  rebuild the leaderboard sorted set from PostgreSQL and exit
                  dead-letters         print the set-aside award tasks (newest first, at most 1000) and exit
                  replay-dead-letters  put every set-aside task back on the award queue and exit
                environment: SKILLQUEST_DB_URL, SKILLQUEST_DB_USER, SKILLQUEST_DB_PASSWORD, SKILLQUEST_REDIS_URL,
                  SKILLQUEST_REDIS_PREFIX, SKILLQUEST_WORKER_GRACE_SECONDS, SKILLQUEST_WORKER_BATCH_SIZE,
                  SKILLQUEST_WORKER_THREADS, SKILLQUEST_WORKER_METRICS_PORT (0 disables),
                  SKILLQUEST_WORKER_METRICS_BIND (127.0.0.1), SKILLQUEST_WORKER_DB_POOL_SIZE""";
  }

  private static int rebuildLeaderboard(StoreConfig stores) {
    try (var ds = Database.dataSource(stores, "skillquest-rebuild", 2);
        var redis = RedisClients.pooled(stores, 4)) {
      new LeaderboardStore(Database.jdbi(ds), redis, stores.keys()).rebuild();
      return 0;
    } catch (RuntimeException e) {
      log.error("leaderboard rebuild failed", e);
      return 1;
    }
  }

  private static int deadLetters(StoreConfig stores, boolean replay) {
    try (var redis = RedisClients.pooled(stores, 2)) {
      if (replay) {
        System.out.println(
            "replayed "
                + DeadLetters.replay(redis, stores.keys())
                + " dead letters onto "
                + stores.keys().queue());
      } else {
        DeadLetters.list(redis, stores.keys(), 1000).forEach(System.out::println);
      }
      return 0;
    } catch (RuntimeException e) {
      log.error("dead letters: {}", Failures.describe(e));
      return 1;
    }
  }

  private static void run(StoreConfig stores, WorkerSettings settings) {
    log.info("skillquest-worker starting with {}", stores);
    var ds = Database.workerDataSource(stores, "skillquest-worker", settings.dbPoolSize());
    Database.migrate(ds);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    MetricsEndpoint metrics = null;
    if (settings.metricsPort() > 0) {
      try {
        metrics = new MetricsEndpoint(registry, settings.metricsBind(), settings.metricsPort());
        log.info("metrics at http://{}:{}/metrics", settings.metricsBind(), metrics.port());
      } catch (IOException e) {
        log.error(
            "could not serve metrics on {}:{}: {}",
            settings.metricsBind(),
            settings.metricsPort(),
            e.toString());
      }
    }
    var worker = new Worker(Database.jdbi(ds), stores, registry, settings);
    var stopped = new CountDownLatch(1);
    MetricsEndpoint endpoint = metrics;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: finishing the task in hand");
                  int status = 0;
                  try {
                    worker.close();
                    if (endpoint != null) {
                      endpoint.close();
                    }
                    ds.close();
                    log.info("stopped");
                  } catch (RuntimeException e) {
                    log.error("unclean stop", e);
                    status = 1;
                  } finally {
                    stopped.countDown();
                  }
                  // a SIGTERM'd JVM would exit 143; a clean, finished stop is a success for systemd
                  // and supervisors
                  Runtime.getRuntime().halt(status);
                },
                "skillquest-worker-shutdown"));
    worker.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
