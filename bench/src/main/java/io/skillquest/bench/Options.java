package io.skillquest.bench;

import io.skillquest.core.Keys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * LoadRun settings: command-line flags over environment variables over defaults. The database and
 * Redis settings use the server's own variable names, so one environment drives both; BENCH_*
 * variables override them where the harness needs more (a superuser for pg_stat_statements).
 */
record Options(
    boolean quick,
    URI baseUrl,
    long users,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String appDbRole,
    URI redisUrl,
    String redisPrefix,
    Path results,
    Path work,
    Duration duration,
    Duration warmup,
    int bcryptCost,
    int drainTasks,
    long serverPid,
    long workerPid,
    String serverLog,
    String workerLog,
    boolean raw,
    boolean http,
    double rateScale,
    String reportName,
    Set<String> only,
    int barePort,
    int connections,
    int workerMetricsPort,
    String workerJar) {

  /** Scenario names BENCH_ONLY accepts (comma-separated); unset runs them all. */
  static final Set<String> SCENARIOS =
      Set.of(
          "login",
          "challenges",
          "start",
          "submit",
          "top10",
          "me",
          "progress",
          "period",
          "bare",
          "closed",
          "lone",
          "e2e",
          "drain",
          "periodcost");

  static Options parse(String[] args, Map<String, String> env) {
    boolean quick = false;
    boolean http = true;
    String base = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--no-http" -> http = false;
        case "--base-url" -> base = args[++i];
        default -> {
          if (args[i].startsWith("http://") || args[i].startsWith("https://")) {
            base = args[i];
          } else {
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + " (usage: LoadRun [--quick] [--no-http] [base-url])");
          }
        }
      }
    }
    String dbUrl =
        first(
            env,
            "BENCH_DB_URL",
            "SKILLQUEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:55432/skillquest");
    String redis = first(env, "BENCH_REDIS_URL", "SKILLQUEST_REDIS_URL", "redis://127.0.0.1:56379");
    return new Options(
        quick,
        URI.create(
            stripSlash(
                base != null
                    ? base
                    : env.getOrDefault("BENCH_BASE_URL", "http://127.0.0.1:18080"))),
        Long.parseLong(env.getOrDefault("BENCH_USERS", quick ? "100000" : "1000000")),
        dbUrl,
        first(env, "BENCH_DB_USER", "SKILLQUEST_DB_USER", "postgres"),
        first(env, "BENCH_DB_PASSWORD", "SKILLQUEST_DB_PASSWORD", ""),
        first(env, "BENCH_APP_DB_ROLE", "SKILLQUEST_DB_USER", "skillquest"),
        URI.create(redis),
        env.getOrDefault("SKILLQUEST_REDIS_PREFIX", "skillquest:"),
        Path.of(env.getOrDefault("BENCH_RESULTS", "bench/results")),
        Path.of(env.getOrDefault("BENCH_WORK", System.getProperty("java.io.tmpdir"))),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_DURATION", quick ? "5" : "20"))),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_WARMUP", quick ? "2" : "4"))),
        Integer.parseInt(env.getOrDefault("BENCH_BCRYPT_COST", "10")),
        Integer.parseInt(env.getOrDefault("BENCH_DRAIN_TASKS", quick ? "4000" : "20000")),
        Long.parseLong(env.getOrDefault("BENCH_SERVER_PID", "0")),
        Long.parseLong(env.getOrDefault("BENCH_WORKER_PID", "0")),
        env.getOrDefault("BENCH_SERVER_LOG", ""),
        env.getOrDefault("BENCH_WORKER_LOG", ""),
        !"0".equals(env.getOrDefault("BENCH_RAW", "1")),
        http,
        Double.parseDouble(env.getOrDefault("BENCH_RATE_SCALE", "1")),
        env.getOrDefault("BENCH_REPORT", "latest.md"),
        only(env.getOrDefault("BENCH_ONLY", "")),
        Integer.parseInt(env.getOrDefault("BENCH_BARE_PORT", "18081")),
        Integer.parseInt(env.getOrDefault("BENCH_CONNECTIONS", "32")),
        Integer.parseInt(env.getOrDefault("SKILLQUEST_WORKER_METRICS_PORT", "9091")),
        env.getOrDefault("BENCH_WORKER_JAR", ""));
  }

  /** Whether the scenario was asked for (all are, unless BENCH_ONLY names some). */
  boolean wants(String scenario) {
    return only.isEmpty() || only.contains(scenario);
  }

  private static Set<String> only(String list) {
    var names =
        Arrays.stream(list.split(","))
            .map(String::trim)
            .filter(n -> !n.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    for (String n : names) {
      if (!SCENARIOS.contains(n)) {
        throw new IllegalArgumentException(
            "BENCH_ONLY: unknown scenario '" + n + "' (one of " + new TreeSet<>(SCENARIOS) + ")");
      }
    }
    return names;
  }

  private static String first(Map<String, String> env, String a, String b, String fallback) {
    String v = env.get(a);
    if (v == null || v.isBlank()) {
      v = env.get(b);
    }
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  String leaderboardKey() {
    return new Keys(redisPrefix).leaderboard();
  }

  String leaderboardMembersKey() {
    return new Keys(redisPrefix).leaderboardMembers();
  }

  String queueKey() {
    return new Keys(redisPrefix).queue();
  }

  String leaderboardLockKey() {
    return new Keys(redisPrefix).leaderboardLock();
  }
}
