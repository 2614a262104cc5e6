package io.skillquest.bench;

import com.sun.net.httpserver.HttpServer;
import io.skillquest.core.Keys;
import io.skillquest.core.queue.AwardTask;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;

/**
 * The event outbox's costs, measured with the real worker jar as its own process (256 MiB heap)
 * against the PostgreSQL and Redis {@code bench/run.sh --events} starts:
 *
 * <ul>
 *   <li>award throughput with events on and off (the same drain of N queued submitted attempts,
 *       alternated off/on twice so drift hits both), and their ratio (target: on >= 0.8 of off);
 *   <li>webhook throughput to a local receiver (a JDK HttpServer answering 204 at once): one
 *       endpoint, delivered in event order one request at a time, and four endpoints side by side.
 * </ul>
 *
 * Environment: SKILLQUEST_DB_URL / _USER / _PASSWORD, SKILLQUEST_REDIS_URL,
 * SKILLQUEST_REDIS_PREFIX, BENCH_WORKER_JAR, BENCH_WORK (logs), BENCH_RESULTS (writes events.md
 * there).
 */
public final class EventsBench {

  private final Map<String, String> env = System.getenv();
  private final boolean quick;
  private final Path work;
  private final JedisPooled redis;
  private final Keys keys;
  private final List<String> report = new ArrayList<>();

  private EventsBench(boolean quick) {
    this.quick = quick;
    this.work = Path.of(env.getOrDefault("BENCH_WORK", "/tmp/skillquest-bench"));
    this.redis = new JedisPooled(java.net.URI.create(env.get("SKILLQUEST_REDIS_URL")));
    this.keys = new Keys(env.getOrDefault("SKILLQUEST_REDIS_PREFIX", "skillquest:"));
  }

  public static void main(String[] args) throws Exception {
    var bench = new EventsBench(List.of(args).contains("--quick"));
    bench.run();
    System.exit(0);
  }

  private Connection db() throws SQLException {
    return DriverManager.getConnection(
        env.get("SKILLQUEST_DB_URL"),
        env.getOrDefault("SKILLQUEST_DB_USER", ""),
        env.getOrDefault("SKILLQUEST_DB_PASSWORD", ""));
  }

  private void run() throws Exception {
    int awards = quick ? 8_000 : 30_000;
    int deliveries = quick ? 3_000 : 10_000;
    report.add("# Events: outbox cost and webhook throughput");
    report.add("");
    report.add(
        "Started "
            + Instant.now()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, load average "
            + loadAverage()
            + (quick ? " (--quick)" : ""));
    report.add("");
    // the first worker start migrates the schema
    worker(Map.of()).close();
    seed();

    report.add("## Award throughput, events off vs on (one worker process, batches of 100)");
    report.add("");
    report.add("| run | events | awards | seconds | awards/s |");
    report.add("|---|---|---|---|---|");
    var rates = new HashMap<Boolean, List<Double>>();
    int run = 0;
    for (int round = 0; round < 2; round++) {
      for (boolean events : new boolean[] {false, true}) {
        double rate = drain(awards, events);
        rates.computeIfAbsent(events, k -> new ArrayList<>()).add(rate);
        report.add(
            String.format(
                Locale.ROOT,
                "| %d | %s | %d | %.2f | %.0f |",
                ++run,
                events ? "on" : "off",
                awards,
                awards / rate,
                rate));
      }
    }
    double off = rates.get(false).stream().mapToDouble(d -> d).average().orElseThrow();
    double on = rates.get(true).stream().mapToDouble(d -> d).average().orElseThrow();
    report.add("");
    report.add(
        String.format(
            Locale.ROOT,
            "Mean: off %.0f/s, on %.0f/s: **ratio %.2f** (target >= 0.8).",
            off,
            on,
            on / off));
    report.add("");

    report.add("## Webhook throughput to a local receiver");
    report.add("");
    report.add("| endpoints | deliveries | seconds | deliveries/s |");
    report.add("|---|---|---|---|");
    for (int endpoints : new int[] {1, 4}) {
      report.add(webhooks(endpoints, deliveries));
    }
    report.add("");
    var text = String.join("\n", report) + "\n";
    System.out.print(text);
    var results = Path.of(env.getOrDefault("BENCH_RESULTS", "bench/results"));
    Files.createDirectories(results);
    Files.writeString(results.resolve("events.md"), text);
  }

  private void seed() throws SQLException {
    try (var c = db();
        var s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO users (username, email, password_hash)
          SELECT 'evb' || g, 'evb' || g || '@example.com', 'x' FROM generate_series(1, 5000) g
          ON CONFLICT DO NOTHING""");
      s.execute(
          """
          INSERT INTO challenges (title, xp, difficulty, published)
          SELECT 'events bench ' || g, 1000, 'easy', true FROM generate_series(1, 100) g""");
      // badges earned now and then, so badge.awarded events are part of the cost
      s.execute(
          """
          INSERT INTO badges (name, condition, backfilled_revision)
          SELECT 'evb passes ' || g, jsonb_build_object('type', 'attempt_count', 'count', g), 1
          FROM generate_series(1, 10) g ON CONFLICT DO NOTHING""");
    }
  }

  /** Queues {@code n} submitted attempts, starts a worker, times the drain. */
  private double drain(int n, boolean events) throws Exception {
    var ids = new ArrayList<Long>(n);
    try (var c = db();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                """
                INSERT INTO attempts (user_id, challenge_id, status, score, started_at, submitted_at)
                SELECT u.id, c.id, 'submitted', (random() * 100)::int, now(), now()
                FROM (SELECT id FROM users WHERE username LIKE 'evb%%' ORDER BY random() LIMIT 5000) u
                CROSS JOIN LATERAL (SELECT id FROM challenges WHERE title LIKE 'events bench %%'
                                    ORDER BY random() + u.id * 0 LIMIT 1) c
                CROSS JOIN generate_series(1, %d) g
                RETURNING id"""
                    .formatted(Math.max(1, n / 5000)))) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    try (var worker =
        worker(
            Map.of(
                "SKILLQUEST_EVENTS_ENABLED",
                Boolean.toString(events),
                "SKILLQUEST_WORKER_GRACE_SECONDS",
                "3600"))) {
      var pipe = redis.pipelined();
      for (long id : ids) {
        pipe.lpush(keys.queue(), new AwardTask(id, Instant.now()).toJson());
      }
      pipe.sync();
      pipe.close();
      long start = System.nanoTime();
      waitFor(
          Duration.ofMinutes(10),
          "submitted attempts drained",
          () -> count("SELECT count(*) FROM attempts WHERE status = 'submitted'") == 0);
      double seconds = (System.nanoTime() - start) / 1e9;
      return ids.size() / seconds;
    }
  }

  private String webhooks(int endpoints, int perEndpoint) throws Exception {
    var received = new AtomicLong();
    var receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    receiver.setExecutor(Executors.newFixedThreadPool(8));
    receiver.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          received.incrementAndGet();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    try {
      long latest = count("SELECT coalesce(max(id), 0) FROM events");
      long cursor = Math.max(0, latest - perEndpoint);
      long expected = count("SELECT count(*) FROM events WHERE id > " + cursor) * endpoints;
      try (var c = db();
          var s = c.createStatement()) {
        s.execute("DELETE FROM webhooks");
        for (int i = 0; i < endpoints; i++) {
          s.execute(
              "INSERT INTO webhooks (url, events, secret, cursor) VALUES ('http://127.0.0.1:"
                  + receiver.getAddress().getPort()
                  + "/hook"
                  + i
                  + "', '{attempt.processed,level.reached,badge.awarded}', 'whsec_bench', "
                  + cursor
                  + ")");
        }
      }
      try (var worker =
          worker(
              Map.of(
                  "SKILLQUEST_WEBHOOK_ALLOW_PRIVATE", "true",
                  "SKILLQUEST_WEBHOOK_THREADS", "4"))) {
        long start = System.nanoTime();
        waitFor(
            Duration.ofMinutes(10),
            "webhook deliveries",
            () ->
                count("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'")
                    >= expected);
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format(
            Locale.ROOT,
            "| %d | %d | %.2f | %.0f |",
            endpoints,
            expected,
            seconds,
            expected / seconds);
      }
    } finally {
      receiver.stop(0);
      try (var c = db();
          var s = c.createStatement()) {
        s.execute("DELETE FROM webhooks");
      }
    }
  }

  /** The worker jar as its own process, started (its log says so) when this returns. */
  private AutoCloseable worker(Map<String, String> extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var log = work.resolve("events-bench-worker.log");
    var pb =
        new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-jar", env.get("BENCH_WORKER_JAR"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(extra);
    pb.environment().put("SKILLQUEST_WORKER_METRICS_PORT", "0");
    var process = pb.start();
    waitFor(
        Duration.ofMinutes(2),
        "worker start (see " + log + ")",
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("worker exited; see " + log);
          }
          return Files.readString(log).contains(" started: queue ");
        });
    return () -> {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    };
  }

  private long count(String sql) {
    try (var c = db();
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  interface Check {
    boolean done() throws Exception;
  }

  private static void waitFor(Duration timeout, String what, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }
}
