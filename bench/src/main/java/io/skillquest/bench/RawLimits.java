package io.skillquest.bench;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The machine's own limits, measured in the same run as SkillQuest so every figure can be shown as
 * a ratio: pgbench (a single-row insert + update transaction), redis-benchmark (the leaderboard's
 * three commands on the real 1M-member sorted set), and bcrypt verification (what a login costs).
 */
final class RawLimits {

  /** A raw figure: throughput and latency percentiles in ms (NaN where the tool gives none). */
  record Figure(
      String name,
      String model,
      double perSecond,
      double p50,
      double p99,
      double p999,
      String note) {}

  private static final String SCRIPT =
      """
            \\set uid random(1, 100000)
            BEGIN;
            INSERT INTO bench_raw_events (uid, v) VALUES (:uid, 1);
            UPDATE bench_raw_totals SET v = v + 1, at = now() WHERE uid = :uid;
            END;
            """;

  /**
   * The limit for one request or one award: a single durable transaction changing one row (one
   * statement in autocommit: parse, update, WAL flush, reply).
   */
  private static final String ONE_ROW =
      """
            \\set uid random(1, 100000)
            UPDATE bench_raw_totals SET v = v + 1, at = now() WHERE uid = :uid;
            """;

  /**
   * One round trip to PostgreSQL that reads a row and commits nothing: what each award statement
   * costs at least.
   */
  private static final String ONE_READ =
      """
            \\set uid random(1, 100000)
            SELECT v FROM bench_raw_totals WHERE uid = :uid;
            """;

  /**
   * What one progress read asks of PostgreSQL: the statements of the server's {@code
   * ProgressDao.SNAPSHOT} (keep them equal), in the same read-only REPEATABLE READ transaction, for
   * a user picked from {@code :ids} (set with {@code -D}), as the closed loop picks them.
   */
  private static final String PROGRESS_READS =
      """
            \\set k random(1, :n)
            BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
            SELECT u.total_xp, calendar_zone(u.time_zone) AS time_zone, count(a.id) FILTER (WHERE a.status = 'started') AS started, count(a.id) FILTER (WHERE a.status = 'submitted') AS submitted, count(a.id) FILTER (WHERE a.status = 'passed') AS passed, count(a.id) FILTER (WHERE a.status = 'failed') AS failed FROM users u LEFT JOIN attempts a ON a.user_id = u.id WHERE u.id = (:ids::bigint[])[:k] GROUP BY u.id;
            SELECT b.id, b.name, b.description, b.icon_url, ub.awarded_at FROM user_badges ub JOIN badges b ON b.id = ub.badge_id WHERE ub.user_id = (:ids::bigint[])[:k] ORDER BY ub.awarded_at DESC, b.id DESC;
            WITH owner AS MATERIALIZED (SELECT calendar_zone(time_zone) AS zone FROM users WHERE id = (:ids::bigint[])[:k]) SELECT DISTINCT (coalesce(a.occurred_at, a.submitted_at) AT TIME ZONE o.zone)::date AS day FROM owner o JOIN attempts a ON a.user_id = (:ids::bigint[])[:k] AND a.status = 'passed' ORDER BY day;
            COMMIT;
            """;

  private final Path work;

  RawLimits(Path work) {
    this.work = work;
  }

  static void prepareTables(Connection db) throws Exception {
    try (var st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS bench_raw_events, bench_raw_totals");
      st.execute(
          "CREATE TABLE bench_raw_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
              + "uid int NOT NULL, v int NOT NULL, at timestamptz NOT NULL DEFAULT now())");
      st.execute(
          "CREATE TABLE bench_raw_totals (uid int PRIMARY KEY, v bigint NOT NULL, at timestamptz NOT NULL)");
      st.execute(
          "INSERT INTO bench_raw_totals SELECT g, 0, now() FROM generate_series(1, 100000) g");
      st.execute("ANALYZE bench_raw_totals");
    }
  }

  static void dropTables(Connection db) throws Exception {
    try (var st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS bench_raw_events, bench_raw_totals");
    }
  }

  /**
   * pgbench with the insert+update script. {@code rate <= 0}: as fast as 8 clients go (closed
   * model); otherwise a fixed schedule (pgbench -R, open model: latency includes the schedule lag).
   */
  Figure pgbench(PgTarget pg, int clients, int seconds, int rate) throws Exception {
    String name =
        rate > 0
            ? "pgbench insert+update @" + rate + "/s"
            : clients == 1 ? "pgbench insert+update, 1 client" : "pgbench insert+update, max";
    return pgbench(pg, clients, seconds, rate, SCRIPT, name);
  }

  /**
   * {@code pgbench -c1} on a one-row durable UPDATE transaction, one after another: the latency
   * floor of anything that commits.
   */
  Figure pgbenchOneRow(PgTarget pg, int seconds) throws Exception {
    return pgbench(pg, 1, seconds, 0, ONE_ROW, "pgbench -c1 one-row UPDATE");
  }

  /**
   * The same one-row durable transaction at a low rate ({@code -R}, one every 1/rate s on average):
   * what it costs when every process it wakes has gone idle in between, as in a lone award.
   */
  Figure pgbenchOneRowPaced(PgTarget pg, int seconds, int rate) throws Exception {
    return pgbench(
        pg, 1, seconds, rate, ONE_ROW, "pgbench -c1 -R " + rate + " one-row UPDATE (idle between)");
  }

  /** {@code pgbench -c1} on a one-row SELECT by key: one round trip, no commit. */
  Figure pgbenchOneRead(PgTarget pg, int seconds) throws Exception {
    return pgbench(pg, 1, seconds, 0, ONE_READ, "pgbench -c1 one-row SELECT");
  }

  /**
   * The reads behind one progress answer, PostgreSQL alone: {@code pgbench -M prepared} with as
   * many clients as the closed loop has connections, for the same users, as fast as they go. The
   * ceiling of any progress served from the database on this box, whatever runs in front of it.
   */
  Figure pgbenchProgressReads(PgTarget pg, int clients, int seconds, List<Long> userIds)
      throws Exception {
    var ids =
        userIds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    return pgbench(
        pg,
        clients,
        seconds,
        0,
        PROGRESS_READS,
        "pgbench progress reads, " + clients + " clients",
        List.of("-M", "prepared", "-D", "ids={" + ids + "}", "-D", "n=" + userIds.size()));
  }

  private Figure pgbench(PgTarget pg, int clients, int seconds, int rate, String sql, String name)
      throws Exception {
    return pgbench(pg, clients, seconds, rate, sql, name, List.of());
  }

  private Figure pgbench(
      PgTarget pg,
      int clients,
      int seconds,
      int rate,
      String sql,
      String name,
      List<String> options)
      throws Exception {
    Path dir = Files.createTempDirectory(work, "pgbench");
    Path script = dir.resolve("script.sql");
    Files.writeString(script, sql);
    var cmd =
        new ArrayList<>(
            List.of(
                "pgbench",
                "-n",
                "-h",
                pg.host(),
                "-p",
                String.valueOf(pg.port()),
                "-U",
                pg.user(),
                "-c",
                String.valueOf(clients),
                "-j",
                String.valueOf(Math.min(2, clients)),
                "-T",
                String.valueOf(seconds),
                "-f",
                script.toString(),
                "-l",
                "--log-prefix=" + dir.resolve("log")));
    if (rate > 0) {
      cmd.add("-R");
      cmd.add(String.valueOf(rate));
    }
    cmd.addAll(options);
    cmd.add(pg.database());
    String out = exec(cmd, pg.password(), seconds + 60);
    var tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
    double perSecond = tps.find() ? Double.parseDouble(tps.group(1)) : Double.NaN;
    var h = new Histogram(60_000_000L, 3);
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("log")).toList()) {
        for (String line : Files.readAllLines(log)) {
          String[] f = line.split(" ");
          if (f.length >= 6 && !f[2].equals("skipped")) {
            long micros = Long.parseLong(f[2]) + (f.length >= 7 ? Long.parseLong(f[6]) : 0);
            h.recordValue(Math.min(micros, 60_000_000L));
          }
        }
      }
    }
    deleteTree(dir);
    return new Figure(
        name,
        rate > 0 ? "open (-R " + rate + ")" : "closed, " + clients + " clients",
        perSecond,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        clients + " clients, " + seconds + " s");
  }

  /** redis-benchmark, 50 clients, one command; CSV output gives rps and latency percentiles. */
  Figure redisBenchmark(URI redis, String label, long requests, String... command)
      throws Exception {
    var cmd =
        new ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                redis.getHost(),
                "-p",
                String.valueOf(redis.getPort() < 0 ? 6379 : redis.getPort()),
                "-c",
                "50",
                "-n",
                String.valueOf(requests),
                "-r",
                "1000000",
                "--csv"));
    cmd.addAll(List.of(command));
    String out = exec(cmd, null, 180);
    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    for (String line : out.split("\n")) {
      if (line.startsWith("\"") && !line.startsWith("\"test\"")) {
        String[] f = line.replace("\"", "").split(",");
        return new Figure(
            "redis-benchmark " + label,
            "closed, 50 clients",
            Double.parseDouble(f[1]),
            Double.parseDouble(f[4]),
            Double.parseDouble(f[6]),
            Double.NaN,
            requests + " requests");
      }
    }
    throw new IOException("no CSV line from redis-benchmark: " + out);
  }

  /** bcrypt verifications per second on all cores: the ceiling for logins. */
  static Figure bcrypt(int cost, int seconds) throws InterruptedException {
    byte[] hash = BCrypt.withDefaults().hash(cost, Seeder.PASSWORD.toCharArray());
    int threads = Runtime.getRuntime().availableProcessors();
    var count = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    var workers = new ArrayList<Thread>();
    for (int t = 0; t < threads; t++) {
      var w =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  BCrypt.verifyer().verify(Seeder.PASSWORD.toCharArray(), hash);
                  count.incrementAndGet();
                }
              });
      workers.add(w);
      w.start();
    }
    for (var w : workers) {
      w.join();
    }
    double perSecond = count.get() / (double) seconds;
    return new Figure(
        "bcrypt verify (cost " + cost + ")",
        "closed, " + threads + " threads",
        perSecond,
        1000.0 * threads / perSecond,
        Double.NaN,
        Double.NaN,
        "in-process, at.favre bcrypt");
  }

  static String exec(List<String> cmd, String pgPassword, int timeoutSeconds) throws Exception {
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (pgPassword != null) {
      pb.environment().put("PGPASSWORD", pgPassword);
    }
    Process p = pb.start();
    var out = new StringBuilder();
    var reader =
        new Thread(
            () -> {
              try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException ignored) {
                // the process died; exit code tells
              }
            });
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
    }
    reader.join(5_000);
    if (p.exitValue() != 0) {
      throw new IOException(cmd.get(0) + " exited " + p.exitValue() + ": " + out);
    }
    return out.toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Where pgbench connects. */
  record PgTarget(String host, int port, String database, String user, String password) {
    static PgTarget fromJdbc(String url, String user, String password) {
      // jdbc:postgresql://host:port/db?params
      var uri = URI.create(url.substring("jdbc:".length()));
      String path = uri.getPath() == null ? "" : uri.getPath();
      return new PgTarget(
          uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          path.startsWith("/") ? path.substring(1) : path,
          user,
          password == null ? "" : password);
    }
  }

  static Map<String, String> environment() {
    var env = new LinkedHashMap<String, String>();
    env.put("cpu", cpuModel());
    env.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    env.put("memory", memory());
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    env.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    return env;
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "unknown";
  }

  private static String memory() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal")) {
          long kb = Long.parseLong(l.replaceAll("\\D", ""));
          return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "unknown";
  }
}
