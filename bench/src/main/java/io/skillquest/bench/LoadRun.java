package io.skillquest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.Keys;
import io.skillquest.core.queue.AwardTask;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;

/**
 * The load harness: seeds a realistic population, measures every hot path of a running SkillQuest
 * at a fixed arrival rate, measures the award pipeline, measures the machine's raw limits (pgbench,
 * redis-benchmark, bcrypt) in the same run, and writes everything side by side to {@code
 * bench/results/latest.md}. Run it through {@code bench/run.sh}.
 *
 * <p>Every loop here is bounded in count and in time; all traffic goes to the configured local
 * servers.
 */
public final class LoadRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A user's XP on the board: their member from the hash, then its score. */
  private static final String XP_OF_USER =
      "local m = redis.call('HGET', KEYS[2], ARGV[1]) "
          + "if not m then return nil end return redis.call('ZSCORE', KEYS[1], m)";

  private final Options o;
  private final Report report;
  private final String api;
  private final Spec8 spec;

  /** The worker measured now: run.sh's, or one this run restarted with other settings. */
  private long workerPid;

  private String workerLog;
  private int freshCursor;
  private List<Long> fresh;

  private LoadRun(Options o) {
    this.o = o;
    this.report = new Report(o);
    this.spec = report.spec8();
    this.api = "/api/v1";
    this.workerPid = o.workerPid();
    this.workerLog = o.workerLog();
  }

  public static void main(String[] args) throws Exception {
    var options = Options.parse(args, System.getenv());
    new LoadRun(options).run();
    // stray pool threads must not keep the JVM alive
    System.exit(0);
  }

  private void run() throws Exception {
    Files.createDirectories(o.results());
    Files.createDirectories(o.work());
    Files.deleteIfExists(o.work().resolve("windows.tsv"));
    log(
        "SkillQuest load run%s against %s (db %s, redis %s)",
        o.quick() ? " (quick)" : "", o.baseUrl(), o.dbUrl(), o.redisUrl());
    if (o.http()) {
      awaitHealthy(Duration.ofSeconds(180));
    }

    try (Connection db = DriverManager.getConnection(o.dbUrl(), o.dbUser(), o.dbPassword());
        var redis = new JedisPooled(o.redisUrl())) {
      String redisVersion;
      try (var j = new Jedis(o.redisUrl())) {
        redisVersion =
            j.info("server")
                .lines()
                .filter(l -> l.startsWith("redis_version:"))
                .findFirst()
                .map(l -> l.substring(14))
                .orElse("?");
      }
      report.environment(RawLimits.environment(), version(db), redisVersion);
      var seeder = new Seeder(db, redis, o.leaderboardKey(), o.leaderboardMembersKey());

      // ---- seed
      long t = System.nanoTime();
      long added = seeder.users(o.users(), o.bcryptCost());
      report.seed("users via COPY (" + o.users() + " wanted)", added, secondsSince(t));
      t = System.nanoTime();
      List<Long> challenges = seeder.challenges(400);
      report.seed("challenges", challenges.size(), secondsSince(t));
      Map<Long, Integer> challengeXp = challengeXp(db);
      t = System.nanoTime();
      seeder.badges(100);
      report.seed("badges (mixed condition types)", 100, secondsSince(t));
      t = System.nanoTime();
      long members = seeder.leaderboard();
      report.seed("leaderboard ZADD GT, pipelined", members, secondsSince(t));
      t = System.nanoTime();
      long onWeek = seeder.periodBoards(new Keys(o.redisPrefix()));
      report.seed(
          "day and week boards (an attempt processed today for every user with XP)",
          onWeek,
          secondsSince(t));
      report.note(
          "Leaderboard sorted set holds "
              + redis.zcard(o.leaderboardKey())
              + " members; users table "
              + seeder.scalar("SELECT count(*) FROM users")
              + " rows.");
      awaitNoRebuild(redis);

      // ---- raw limits of this machine, before SkillQuest load heats anything up
      if (o.raw()) {
        rawLimits(db, redis);
      }

      if (!o.http()) {
        report.note("--no-http: seeding and raw limits only; no SkillQuest server was measured.");
        Path out = report.write();
        log("results written to %s", out);
        return;
      }

      // ---- logged-in pools: A for the user scenarios, B for the award end-to-end test
      int pool = o.quick() ? 50 : 100;
      var names = new ArrayList<String>();
      for (int i = 1; i <= 2 * pool; i++) {
        names.add(Seeder.username(i));
      }
      Map<String, Long> ids = seeder.userIds(names);
      var tokens = new ConcurrentHashMap<String, String>();
      if (o.wants("login")) report.scenario(loginScenario(names, tokens), 0, "-");
      loginRemaining(names, tokens);
      var poolA = new ArrayList<User>();
      var poolB = new ArrayList<User>();
      for (int i = 0; i < names.size(); i++) {
        var u = new User(ids.get(names.get(i)), tokens.get(names.get(i)));
        if (u.token() == null) {
          throw new IllegalStateException("no token for " + names.get(i) + "; login is failing");
        }
        (i < pool ? poolA : poolB).add(u);
      }

      // ---- HTTP scenarios, open model
      double d = o.duration().toSeconds();
      var r = new Random(1);
      if (o.wants("challenges")) {
        report.scenario(
            http(
                "list challenges",
                1000,
                (c, i) -> c.send("GET", api + "/challenges?limit=20", null, null).status()),
            0,
            "-");
      }
      if (o.wants("start")) {
        report.scenario(
            http(
                "start attempt",
                500,
                (c, i) ->
                    c.send(
                            "POST",
                            api + "/attempts",
                            poolA.get((int) (i % poolA.size())).token(),
                            "{\"challenge_id\":"
                                + challenges.get((int) (i % challenges.size()))
                                + "}")
                        .status()),
            0,
            "-");
      }
      drainQueue(redis, Duration.ofSeconds(120));

      if (o.wants("submit")) {
        int submitRate = 1000;
        int needed = (int) (submitRate * o.rateScale() * (d + o.warmup().toSeconds())) + 100;
        var startedForSubmit = startedAttempts(seeder, poolA, challenges, needed, 0);
        var submitIndex = new AtomicInteger();
        report.scenario(
            http(
                "submit attempt",
                submitRate,
                (c, i) -> {
                  var a =
                      startedForSubmit.get(submitIndex.getAndIncrement() % startedForSubmit.size());
                  return c.send(
                          "POST",
                          api + "/attempts/" + a.id() + "/submit",
                          a.token(),
                          "{\"score\":" + (a.id() % 101) + "}")
                      .status();
                }),
            5,
            "p99 <= 5 ms at 1,000/s");
        report.note(
            "Submit backlog after the submit scenario: "
                + redis.llen(o.queueKey())
                + " queued tasks.");
        drainQueue(redis, Duration.ofSeconds(120));
        if (o.raw()) {
          pgbenchBesideAwards(seeder, db, redis, poolA, challenges, submitRate);
        }
      }

      if (o.wants("top10")) {
        report.scenario(
            http(
                "leaderboard top 10",
                5000,
                (c, i) -> c.send("GET", api + "/leaderboard?limit=10", null, null).status()),
            3,
            "p99 <= 3 ms at 5,000/s, 1M ranked");
      }
      if (o.wants("me")) {
        report.scenario(
            http(
                "leaderboard/me",
                5000,
                (c, i) ->
                    c.send(
                            "GET",
                            api + "/leaderboard/me",
                            poolA.get((int) (i % poolA.size())).token(),
                            null)
                        .status()),
            3,
            "p99 <= 3 ms at 5,000/s, 1M ranked");
      }
      if (o.wants("progress")) {
        report.scenario(
            http(
                "progress",
                1000,
                (c, i) ->
                    c.send(
                            "GET",
                            api + "/users/me/progress",
                            poolA.get((int) (i % poolA.size())).token(),
                            null)
                        .status()),
            0,
            "-");
      }

      if (o.wants("period")) {
        for (var period : List.of("week", "day")) {
          report.scenario(
              http(
                  "leaderboard top 10 " + period,
                  5000,
                  (c, i) ->
                      c.send("GET", api + "/leaderboard?limit=10&period=" + period, null, null)
                          .status()),
              3,
              "p99 <= 3 ms at 5,000/s, 1M users");
          report.scenario(
              http(
                  "leaderboard/me " + period,
                  5000,
                  (c, i) ->
                      c.send(
                              "GET",
                              api + "/leaderboard/me?period=" + period,
                              poolA.get((int) (i % poolA.size())).token(),
                              null)
                          .status()),
              3,
              "p99 <= 3 ms at 5,000/s, 1M users");
        }
      }
      if (o.wants("closed") || o.wants("bare")) {
        bareAndClosed(poolA);
      }

      // ---- award pipeline
      drainQueue(redis, Duration.ofSeconds(120));
      if (o.wants("lone")) lone(seeder, db, redis, challenges, challengeXp);
      if (o.wants("e2e")) endToEnd(seeder, db, redis, poolB, challenges, challengeXp);
      if (o.wants("drain")) drain(seeder, db, redis, challenges);
      if (o.wants("periodcost")) periodCost(seeder, db, redis, challenges);

      memory();
    }
    Path out = report.write();
    log("results written to %s", out);
    System.out.println();
    System.out.println("SPEC 8 targets, each against a limit measured in this run:");
    System.out.print(spec.markdown());
  }

  // ------------------------------------------------------------------ scenarios

  record User(long id, String token) {}

  record Owned(long id, String token) {}

  private OpenLoop.Result http(String name, double targetRate, OpenLoop.Call<MiniHttp> call) {
    // BENCH_RATE_SCALE < 1 shows the latency at a rate the box can sustain, beside the target-rate
    // run
    double rate = targetRate * o.rateScale();
    int threads = (int) Math.max(8, Math.min(64, rate / 40));
    var connections = OpenLoop.connections(() -> new MiniHttp(o.baseUrl(), 10_000));
    if (!o.warmup().isZero()) {
      OpenLoop.run(name + " warm-up", rate, o.warmup(), threads, connections, call);
    }
    log("%s: %d/s for %d s ...", name, (long) rate, o.duration().toSeconds());
    double from = secondOfDay();
    var result = OpenLoop.run(name, rate, o.duration(), threads, connections, call);
    window(name, from, secondOfDay());
    log("  %s", Report.summary(result));
    return result;
  }

  private OpenLoop.Result loginScenario(List<String> names, Map<String, String> tokens) {
    // bcrypt dominates a login: a rate near the machine's bcrypt limit would only measure queueing
    double rate = 10;
    var connections = OpenLoop.connections(() -> new MiniHttp(o.baseUrl(), 10_000));
    OpenLoop.Call<MiniHttp> call =
        (c, i) -> {
          String name = names.get((int) (i % names.size()));
          var res =
              c.send(
                  "POST",
                  api + "/auth/login",
                  null,
                  "{\"username\":\"" + name + "\",\"password\":\"" + Seeder.PASSWORD + "\"}");
          if (res.status() == 200) {
            tokens.put(name, JSON.readTree(res.body()).path("access_token").asText());
          }
          return res.status();
        };
    log("login: %d/s for %d s ...", (long) rate, o.duration().toSeconds());
    double from = secondOfDay();
    var result = OpenLoop.run("login", rate, o.duration(), 8, connections, call);
    window("login", from, secondOfDay());
    log("  %s", Report.summary(result));
    return result;
  }

  /** Logs in, two at a time, the pool users the login scenario did not reach. */
  private void loginRemaining(List<String> names, Map<String, String> tokens) throws Exception {
    var missing = new ConcurrentLinkedQueue<String>();
    names.stream().filter(n -> !tokens.containsKey(n)).forEach(missing::add);
    var threads = new ArrayList<Thread>();
    for (int t = 0; t < 2; t++) {
      var th =
          new Thread(
              () -> {
                try (var c = new MiniHttp(o.baseUrl(), 10_000)) {
                  String name;
                  while ((name = missing.poll()) != null) {
                    var res =
                        c.send(
                            "POST",
                            api + "/auth/login",
                            null,
                            "{\"username\":\""
                                + name
                                + "\",\"password\":\""
                                + Seeder.PASSWORD
                                + "\"}");
                    if (res.status() == 200) {
                      tokens.put(name, JSON.readTree(res.body()).path("access_token").asText());
                    } else {
                      log("login %s: %d %s", name, res.status(), res.body());
                    }
                  }
                } catch (IOException e) {
                  log("login failed: %s", e);
                }
              });
      threads.add(th);
      th.start();
    }
    for (var th : threads) {
      th.join(120_000);
    }
  }

  /**
   * Started attempts owned by the pool's users, interleaved so consecutive submits hit different
   * users.
   */
  private List<Owned> startedAttempts(
      Seeder seeder, List<User> users, List<Long> challenges, int n, int offset)
      throws SQLException {
    long[] u = new long[n];
    long[] c = new long[n];
    var token = new HashMap<Long, String>();
    for (var user : users) {
      token.put(user.id(), user.token());
    }
    for (int i = 0; i < n; i++) {
      int who = i % users.size();
      int slot = i / users.size();
      u[i] = users.get(who).id();
      c[i] = challenges.get((who * 7 + slot + offset) % challenges.size());
    }
    var created = seeder.attempts(u, c, null);
    created.sort((a, b) -> Long.compare(a.id(), b.id()));
    var out = new ArrayList<Owned>(created.size());
    for (var a : created) {
      out.add(new Owned(a.id(), token.get(a.userId())));
    }
    return out;
  }

  // ------------------------------------------------------------------ limits beside the reads

  /**
   * The bare-route limit and every read's ceiling throughput, closed loop, on the same client with
   * the same connection count: the bare route before and after the SkillQuest runs (the higher is
   * the limit, so a box that got busier meanwhile cannot flatter the ratios), and the bare route at
   * the reads' fixed 5,000/s beside their open-loop figures.
   */
  private void bareAndClosed(List<User> users) throws Exception {
    byte[] body;
    byte[] meBody;
    try (var c = new MiniHttp(o.baseUrl(), 10_000)) {
      var top = c.send("GET", api + "/leaderboard?limit=10", null, null);
      if (top.status() != 200) {
        report.note("bare route not measured: top 10 answered " + top.status());
        return;
      }
      body = top.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      var me = c.send("GET", api + "/leaderboard/me", users.get(0).token(), null);
      meBody =
          me.status() == 200 ? me.body().getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
    }
    Process bare = startBare(body, meBody);
    try {
      URI bareUrl = URI.create("http://127.0.0.1:" + o.barePort());
      OpenLoop.Call<MiniHttp> bareCall = (c, i) -> c.send("GET", "/bare", null, null).status();
      if (o.wants("bare") || o.wants("top10") || o.wants("me")) {
        report.scenario(
            httpAt(bareUrl, "bare route", 5000, bareCall), 3, "the limit beside top 10 and /me");
      }
      if (!o.wants("closed")) {
        return;
      }
      int n = o.connections();
      var d = o.quick() ? Duration.ofSeconds(5) : Duration.ofSeconds(10);
      closed(bareUrl, "bare route (before)", n, d, bareCall);
      int count = users.size();
      closed(
          o.baseUrl(),
          "leaderboard top 10",
          n,
          d,
          (c, i) -> c.send("GET", api + "/leaderboard?limit=10", null, null).status());
      closed(
          o.baseUrl(),
          "leaderboard/me",
          n,
          d,
          (c, i) ->
              c.send("GET", api + "/leaderboard/me", users.get((int) (i * 7 % count)).token(), null)
                  .status());
      if (meBody != null) {
        closed(
            bareUrl,
            "bare route + /me's Redis reads",
            n,
            d,
            (c, i) ->
                c.send("GET", "/bare-me?user=" + users.get((int) (i * 7 % count)).id(), null, null)
                    .status());
      }
      closed(
          o.baseUrl(),
          "progress",
          n,
          d,
          (c, i) ->
              c.send(
                      "GET",
                      api + "/users/me/progress",
                      users.get((int) (i * 7 % count)).token(),
                      null)
                  .status());
      if (o.raw()) {
        // what PostgreSQL alone answers of progress's reads, for the same users on as many
        // connections: the ceiling of progress on this box, measured beside it
        try {
          var pg = RawLimits.PgTarget.fromJdbc(o.dbUrl(), o.dbUser(), o.dbPassword());
          spec.progressReads =
              new RawLimits(o.work())
                  .pgbenchProgressReads(
                      pg, n, (int) d.toSeconds(), users.stream().map(User::id).toList());
          report.raw(spec.progressReads);
        } catch (Exception e) {
          report.note("pgbench progress reads failed: " + e.getMessage());
        }
      }
      for (var period : List.of("week", "day")) {
        closed(
            o.baseUrl(),
            "leaderboard top 10 " + period,
            n,
            d,
            (c, i) ->
                c.send("GET", api + "/leaderboard?limit=10&period=" + period, null, null).status());
        closed(
            o.baseUrl(),
            "leaderboard/me " + period,
            n,
            d,
            (c, i) ->
                c.send(
                        "GET",
                        api + "/leaderboard/me?period=" + period,
                        users.get((int) (i * 7 % count)).token(),
                        null)
                    .status());
      }
      closed(bareUrl, "bare route (after)", n, d, bareCall);
    } finally {
      bare.destroy();
      bare.waitFor(10, TimeUnit.SECONDS);
      bare.destroyForcibly();
    }
  }

  private void closed(
      URI base, String name, int connections, Duration d, OpenLoop.Call<MiniHttp> call) {
    log("%s: closed loop, %d connections, %d s ...", name, connections, d.toSeconds());
    double from = secondOfDay();
    var r =
        ClosedLoop.run(name, connections, o.warmup(), d, () -> new MiniHttp(base, 10_000), call);
    window(name + " (closed)", from, secondOfDay());
    log(
        "  %s: %.0f req/s, p50 %.2f p99 %.2f ms, errors %d %s%s",
        name,
        r.perSecond(),
        r.p(50),
        r.p(99),
        r.errors(),
        r.statuses(),
        r.firstError() == null ? "" : " first error: " + r.firstError());
    report.closed(r);
    spec.closed.put(name, r);
  }

  private OpenLoop.Result httpAt(URI base, String name, double rate, OpenLoop.Call<MiniHttp> call) {
    int threads = (int) Math.max(8, Math.min(64, rate / 40));
    var connections = OpenLoop.connections(() -> new MiniHttp(base, 10_000));
    if (!o.warmup().isZero()) {
      OpenLoop.run(name + " warm-up", rate, o.warmup(), threads, connections, call);
    }
    log("%s: %d/s for %d s ...", name, (long) rate, o.duration().toSeconds());
    double from = secondOfDay();
    var result = OpenLoop.run(name, rate, o.duration(), threads, connections, call);
    window(name, from, secondOfDay());
    log("  %s", Report.summary(result));
    return result;
  }

  /**
   * BareRoute in its own JVM with the server's heap, serving {@code body}; waits until it answers.
   */
  /** The bare route's JVM; with {@code meBody}, also {@code /bare-me} (see {@link BareRoute}). */
  private Process startBare(byte[] body, byte[] meBody) throws Exception {
    Path file = o.work().resolve("bare-body.json");
    Files.write(file, body);
    String jar =
        Path.of(LoadRun.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    var cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m",
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                jar,
                "io.skillquest.bench.BareRoute",
                String.valueOf(o.barePort()),
                file.toString()));
    if (meBody != null) {
      Path me = o.work().resolve("bare-me-body.json");
      Files.write(me, meBody);
      cmd.addAll(List.of(me.toString(), o.redisUrl().toString(), o.redisPrefix()));
    }
    var p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(o.work().resolve("bare.log").toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end && p.isAlive()) {
      try (var c = new MiniHttp(URI.create("http://127.0.0.1:" + o.barePort()), 1000)) {
        if (c.send("GET", "/bare", null, null).status() == 200) {
          return p;
        }
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "the bare route did not start; see " + o.work().resolve("bare.log"));
  }

  // ------------------------------------------------------------------ one award at a time

  /**
   * Submits one at a time at a low rate (the worker is idle when each task arrives), each a first
   * score of 100 on a challenge, so the user's XP must grow; polls the board until it shows the new
   * total. Three figures per submit: the submit's own latency, submit -> on the board, and the
   * award proper, from the attempt's submitted_at (PostgreSQL's clock, the same machine's) to the
   * moment the board showed it.
   */
  /**
   * Submits the attempt with score 100 and waits until the board shows {@code expected} for its
   * owner; the board is read only when Redis says it changed, and the change that shows the total
   * dates it.
   *
   * @return send, answer and seen times ({@link System#nanoTime()}), or null if refused or not seen
   *     within 5 s
   */
  /** Submits the attempt with score 100; whether it was accepted (202). */
  private boolean submitted(MiniHttp http, Seeder.NewAttempt a, String token) throws Exception {
    return http.send("POST", api + "/attempts/" + a.id() + "/submit", token, "{\"score\":100}")
            .status()
        == 202;
  }

  private long[] submitAndAwait(
      MiniHttp http,
      Jedis jedis,
      BoardChanges changes,
      Seeder.NewAttempt a,
      String token,
      long expected)
      throws Exception {
    changes.clear();
    long t0 = System.nanoTime();
    if (!submitted(http, a, token)) {
      return null;
    }
    long t1 = System.nanoTime();
    long giveUp = t1 + TimeUnit.SECONDS.toNanos(5);
    Long changed;
    while ((changed = changes.next(giveUp)) != null) {
      Object score =
          jedis.eval(
              XP_OF_USER,
              List.of(o.leaderboardKey(), o.leaderboardMembersKey()),
              List.of(String.valueOf(a.userId())));
      if (score != null && (long) Double.parseDouble(score.toString()) >= expected) {
        return new long[] {t0, t1, changed};
      }
    }
    return null;
  }

  private void lone(
      Seeder seeder,
      Connection db,
      JedisPooled redis,
      List<Long> challenges,
      Map<Long, Integer> challengeXp)
      throws Exception {
    int n = o.quick() ? 100 : 300;
    // a worker that has run for a while has its award path compiled; batches of 100 in the drains
    // run each statement too rarely for that, so warm it with lone awards back to back first
    int warm = Integer.parseInt(System.getenv().getOrDefault("BENCH_LONE_WARMUP", "2000"));
    // then submits back to back, not waiting for their awards: "sequential, one client"
    int seq = o.quick() ? 500 : 1000;
    int perUser = 30;
    int userCount = (n + warm + seq + perUser - 1) / perUser;
    var names = new ArrayList<String>();
    var ids = new ArrayList<Long>();
    try (var st = db.createStatement();
        var rs =
            st.executeQuery(
                "SELECT username, id FROM users u WHERE total_xp = 0 AND username LIKE 'bench\\_u%' "
                    + "AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = u.id) ORDER BY id DESC LIMIT "
                    + userCount)) {
      while (rs.next()) {
        names.add(rs.getString(1));
        ids.add(rs.getLong(2));
      }
    }
    var tokens = new ConcurrentHashMap<String, String>();
    loginRemaining(names, tokens);
    long[] u = new long[n + warm + seq];
    long[] c = new long[n + warm + seq];
    for (int i = 0; i < n + warm + seq; i++) {
      u[i] = ids.get(i % ids.size());
      c[i] = challenges.get((i / ids.size()) % challenges.size());
    }
    var attempts = seeder.attempts(u, c, null);
    attempts.sort((a, b) -> Long.compare(a.id(), b.id()));
    var token = new HashMap<Long, String>();
    for (int k = 0; k < ids.size(); k++) {
      token.put(ids.get(k), tokens.get(names.get(k)));
    }
    var totals = new HashMap<Long, Long>();
    var submitH = new Histogram(60_000_000L, 3);
    var seqH = new Histogram(60_000_000L, 3);
    var boardH = new Histogram(60_000_000L, 3);
    var seenAt = new HashMap<Long, Instant>();
    long unobserved = 0;
    long interval = TimeUnit.MILLISECONDS.toNanos(50);
    boolean statements = ensureStatements(db);
    Map<Long, double[]> statementsBefore = Map.of();
    String metricsBefore = "";
    java.util.TreeMap<Double, Double> lagBefore = new java.util.TreeMap<>();
    double from = 0;
    try (var http = new MiniHttp(o.baseUrl(), 10_000);
        var jedis = new Jedis(o.redisUrl());
        var changes = new BoardChanges(o.redisUrl(), o.leaderboardKey())) {
      log("one award at a time: warming up with %d back to back ...", warm);
      for (int i = 0; i < warm; i++) {
        var a = attempts.get(i);
        long expected =
            totals.merge(a.userId(), (long) challengeXp.get(a.challengeId()), Long::sum);
        submitAndAwait(http, jedis, changes, a, token.get(a.userId()), expected);
      }
      log("sequential submits, one client, back to back: %d ...", seq);
      for (int i = 0; i < seq; i++) {
        var a = attempts.get(warm + n + i);
        totals.merge(a.userId(), (long) challengeXp.get(a.challengeId()), Long::sum);
        long t0 = System.nanoTime();
        if (submitted(http, a, token.get(a.userId()))) {
          seqH.recordValue((System.nanoTime() - t0) / 1000);
        }
      }
      // let the worker finish them before the lone awards start
      Thread.sleep(2_000);
      statementsBefore = statements ? statementStats(db) : Map.of();
      metricsBefore = workerMetrics();
      lagBefore = lagBuckets(metricsBefore);
      log("one award at a time: %d sequential submits, one every 50 ms ...", n);
      from = secondOfDay();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long due = start + i * interval;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        var a = attempts.get(warm + i);
        long expected =
            totals.merge(a.userId(), (long) challengeXp.get(a.challengeId()), Long::sum);
        long[] t = submitAndAwait(http, jedis, changes, a, token.get(a.userId()), expected);
        if (t == null) {
          unobserved++;
          continue;
        }
        submitH.recordValue((t[1] - t[0]) / 1000);
        boardH.recordValue((t[2] - t[0]) / 1000);
        seenAt.put(a.id(), Instant.now().minusNanos(System.nanoTime() - t[2]));
      }
    }
    window("one award at a time", from, secondOfDay());
    String metricsAfter = workerMetrics();
    var lagAfter = lagBuckets(metricsAfter);
    report.lonePhases(phases(metricsBefore, metricsAfter));
    if (statements) {
      var top = new ArrayList<Report.Statement>();
      for (var e : statementStats(db).entrySet()) {
        double[] b = statementsBefore.getOrDefault(e.getKey(), new double[3]);
        double calls = e.getValue()[0] - b[0];
        if (calls > 0) {
          top.add(
              new Report.Statement(
                  queryText(db, e.getKey()),
                  calls,
                  (e.getValue()[1] - b[1]) / calls,
                  (e.getValue()[2] - b[2]) / calls));
        }
      }
      top.sort(
          (x, y) ->
              Double.compare(
                  y.callsPerAward() * (y.msPerAward() + y.planMs()),
                  x.callsPerAward() * (x.msPerAward() + x.planMs())));
      report.loneStatements(top.subList(0, Math.min(16, top.size())));
    }
    var awardH = new Histogram(60_000_000L, 3);
    try (var ps = db.prepareStatement("SELECT id, submitted_at FROM attempts WHERE id = ANY(?)")) {
      ps.setArray(1, db.createArrayOf("int8", seenAt.keySet().toArray()));
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          var submitted = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
          var seen = seenAt.get(rs.getLong(1));
          awardH.recordValue(Math.max(0, Duration.between(submitted, seen).toNanos() / 1000));
        }
      }
    }
    // after the statements' counts are read: the floor's are not the award's
    log("the chain's floor: a lone award's dependent steps with one-row statements, %d ...", n);
    try (var floor =
        new AwardFloor(o.dbUrl(), o.dbUser(), o.dbPassword(), o.redisUrl(), o.redisPrefix())) {
      spec.floor = floor.measure(warm / 4, n, Duration.ofMillis(50));
    }
    report.loneFloor(spec.floor);
    log(
        "  floor p50 %.2f p99 %.2f ms (%d)",
        spec.floor.p50(), spec.floor.p99(), spec.floor.samples());
    double[] lag = lagPercentile(lagBefore, lagAfter, 50);
    spec.lone =
        new Spec8.Lone(
            boardH.getTotalCount(),
            seqH.getValueAtPercentile(50) / 1000.0,
            seqH.getValueAtPercentile(99) / 1000.0,
            submitH.getValueAtPercentile(50) / 1000.0,
            submitH.getValueAtPercentile(99) / 1000.0,
            boardH.getValueAtPercentile(50) / 1000.0,
            boardH.getValueAtPercentile(99) / 1000.0,
            awardH.getValueAtPercentile(50) / 1000.0,
            awardH.getValueAtPercentile(99) / 1000.0,
            lag[0],
            (long) lag[1],
            unobserved);
    log(
        "  back-to-back submit p50 %.2f p99 %.2f ms; paced submit p50 %.2f p99 %.2f ms; submit -> board p50 %.2f p99 %.2f ms; submitted_at -> board p50 %.2f p99 %.2f ms;"
            + " worker lag timer p50 <= %.1f ms (%d awards); %d not seen",
        spec.lone.sequentialSubmitP50(),
        spec.lone.sequentialSubmitP99(),
        spec.lone.submitP50(),
        spec.lone.submitP99(),
        spec.lone.boardP50(),
        spec.lone.boardP99(),
        spec.lone.awardP50(),
        spec.lone.awardP99(),
        lag[0],
        (long) lag[1],
        unobserved);
    report.lone(spec.lone);
  }

  /** The worker's Prometheus text, empty when it does not answer. */
  private String workerMetrics() {
    try (var c = new MiniHttp(URI.create("http://127.0.0.1:" + o.workerMetricsPort()), 5000)) {
      return c.send("GET", "/metrics", null, null).body();
    } catch (IOException | RuntimeException e) {
      log("worker metrics unavailable: %s", e);
      return "";
    }
  }

  /**
   * Per phase of the award path (the worker's skillquest_worker_award_phase timers): {count, mean
   * ms} between two scrapes, in the worker's order.
   */
  static Map<String, double[]> phases(String before, String after) {
    var out = new LinkedHashMap<String, double[]>();
    var b = phaseSums(before);
    phaseSums(after)
        .forEach(
            (phase, a) -> {
              double[] was = b.getOrDefault(phase, new double[2]);
              double n = a[0] - was[0];
              if (n > 0) {
                out.put(phase, new double[] {n, 1000 * (a[1] - was[1]) / n});
              }
            });
    return out;
  }

  private static Map<String, double[]> phaseSums(String metrics) {
    var out = new LinkedHashMap<String, double[]>();
    for (String line : metrics.split("\n")) {
      boolean count = line.startsWith("skillquest_worker_award_phase_seconds_count{");
      boolean sum = line.startsWith("skillquest_worker_award_phase_seconds_sum{");
      if (!count && !sum) {
        continue;
      }
      int at = line.indexOf("phase=\"");
      String phase = line.substring(at + 7, line.indexOf('"', at + 7));
      double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      out.computeIfAbsent(phase, k -> new double[2])[count ? 0 : 1] = v;
    }
    return out;
  }

  /** The worker's award-lag histogram buckets (upper bound in seconds -> cumulative count). */
  private static java.util.TreeMap<Double, Double> lagBuckets(String metrics) {
    var buckets = new java.util.TreeMap<Double, Double>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("skillquest_worker_award_lag_seconds_bucket{")) {
        int le = line.indexOf("le=\"");
        String bound = line.substring(le + 4, line.indexOf('"', le + 4));
        double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        buckets.put(
            bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), count);
      }
    }
    return buckets;
  }

  /**
   * {upper bound in ms of the bucket holding the percentile, awards counted} between two scrapes.
   */
  private static double[] lagPercentile(
      java.util.TreeMap<Double, Double> before,
      java.util.TreeMap<Double, Double> after,
      double percentile) {
    double total =
        after.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
            - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return new double[] {Double.NaN, 0};
    }
    for (var e : after.entrySet()) {
      double delta = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (delta >= total * percentile / 100) {
        return new double[] {e.getKey() * 1000, total};
      }
    }
    return new double[] {Double.NaN, total};
  }

  // ------------------------------------------------------------------ what the period boards cost

  /**
   * One worker's award rate with the live period boards off and on, each in a fresh worker process
   * warmed up with a short drain first, alternating, the better of each kept. Leaves a worker with
   * the boards on running.
   */
  private void periodCost(Seeder seeder, Connection db, JedisPooled redis, List<Long> challenges)
      throws Exception {
    if (o.workerJar().isEmpty() || workerPid <= 0) {
      report.note("period-board cost not measured: needs the worker as its own process (run.sh)");
      return;
    }
    seeder.badges(100);
    int n = o.drainTasks();
    int rounds = o.quick() ? 1 : 2;
    double on = 0;
    double off = 0;
    for (int round = 0; round < rounds; round++) {
      for (boolean periods : new boolean[] {false, true}) {
        restartWorker(periods);
        drainOnce(seeder, db, redis, challenges, n / 4);
        double rate = drainOnce(seeder, db, redis, challenges, n);
        log("  period boards %s: %.0f awards/s", periods ? "on" : "off", rate);
        if (periods) {
          on = Math.max(on, rate);
        } else {
          off = Math.max(off, rate);
        }
      }
    }
    spec.periodsOn = on;
    spec.periodsOff = off;
    report.note(
        String.format(
            Locale.ROOT,
            "Period boards' cost: one worker (fresh process, warmed up), 100 badges, %d tasks, best of %d: "
                + "%.0f awards/s with the live day/week/month boards, %.0f awards/s without (%.2f).",
            n,
            rounds,
            on,
            off,
            on / off));
  }

  /** Awards n fresh submitted attempts through the queue; awards per second. */
  private double drainOnce(
      Seeder seeder, Connection db, JedisPooled redis, List<Long> challenges, int n)
      throws Exception {
    var users = freshUsers(db);
    var random = new Random(freshCursor);
    long[] u = new long[n];
    long[] c = new long[n];
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      u[i] = users.get(freshCursor++ % users.size());
      c[i] = challenges.get(random.nextInt(challenges.size()));
      s[i] = random.nextInt(101);
    }
    var attempts = seeder.attempts(u, c, s);
    long lo = attempts.stream().mapToLong(Seeder.NewAttempt::id).min().orElseThrow();
    long hi = attempts.stream().mapToLong(Seeder.NewAttempt::id).max().orElseThrow();
    Instant submittedAt = Instant.now();
    long t0 = System.nanoTime();
    try (var pipe = redis.pipelined()) {
      for (var a : attempts) {
        pipe.lpush(o.queueKey(), new AwardTask(a.id(), submittedAt).toJson());
      }
      pipe.sync();
    }
    String countSql =
        "SELECT count(*) FROM attempts WHERE id BETWEEN "
            + lo
            + " AND "
            + hi
            + " AND status IN ('passed', 'failed')";
    long limit = t0 + TimeUnit.SECONDS.toNanos(Math.max(60, n / 100));
    long processed = 0;
    while (System.nanoTime() < limit && (processed = seeder.scalar(countSql)) < n) {
      Thread.sleep(20);
    }
    return processed / secondsSince(t0);
  }

  /** Users at 0 XP without attempts (each award evaluates the whole catalogue), shuffled once. */
  private List<Long> freshUsers(Connection db) throws SQLException {
    if (fresh == null) {
      fresh = new ArrayList<>();
      try (var st = db.createStatement();
          var rs =
              st.executeQuery(
                  "SELECT id FROM users u WHERE total_xp = 0 "
                      + "AND username LIKE 'bench\\_u%' AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = u.id) "
                      + "ORDER BY id LIMIT 200000")) {
        while (rs.next()) {
          fresh.add(rs.getLong(1));
        }
      }
      java.util.Collections.shuffle(fresh, new Random(99));
    }
    return fresh;
  }

  /**
   * Stops the worker being measured (SIGTERM: it finishes its batch) and starts another from the
   * same jar and environment, the live period boards on or off. run.sh stops it at the end.
   */
  private void restartWorker(boolean periodBoards) throws Exception {
    var old = ProcessHandle.of(workerPid);
    if (old.isPresent()) {
      old.get().destroy();
      try {
        old.get().onExit().get(40, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        old.get().destroyForcibly();
      }
    }
    Path logFile = o.work().resolve("worker-periods-" + (periodBoards ? "on" : "off") + ".log");
    var pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m",
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                o.workerJar())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().put("SKILLQUEST_WORKER_PERIOD_BOARDS", String.valueOf(periodBoards));
    var p = pb.start();
    workerPid = p.pid();
    workerLog = logFile.toString();
    Files.writeString(
        o.work().resolve("extra.pids"),
        p.pid() + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        throw new IllegalStateException("worker exited; see " + logFile);
      }
      try (var c = new MiniHttp(URI.create("http://127.0.0.1:" + o.workerMetricsPort()), 1000)) {
        if (c.send("GET", "/metrics", null, null).status() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("worker did not start in 60 s; see " + logFile);
  }

  // ------------------------------------------------------------------ award pipeline

  private record Pending(long userId, long expectedXp, long intended) {}

  /**
   * Submit (score 100, a challenge the user never scored on, so XP must grow) at a fixed rate, and
   * time until ZSCORE shows the new total: HTTP submit + queue + award transaction + ZADD.
   */
  private void endToEnd(
      Seeder seeder,
      Connection db,
      JedisPooled redis,
      List<User> users,
      List<Long> challenges,
      Map<Long, Integer> challengeXp)
      throws Exception {
    double rate = 100;
    int n = (int) (rate * o.duration().toSeconds());
    var attempts = new ArrayList<Seeder.NewAttempt>();
    long[] u = new long[n];
    long[] c = new long[n];
    for (int i = 0; i < n; i++) {
      int who = i % users.size();
      u[i] = users.get(who).id();
      c[i] = challenges.get((who * 13 + i / users.size()) % challenges.size());
    }
    attempts.addAll(seeder.attempts(u, c, null));
    attempts.sort((a, b) -> Long.compare(a.id(), b.id()));
    var token = new HashMap<Long, String>();
    users.forEach(x -> token.put(x.id(), x.token()));
    // expected total after the k-th submit of a user = total now + XP of its first k challenges
    var totals = new HashMap<Long, Long>();
    try (var st = db.createStatement();
        var rs =
            st.executeQuery(
                "SELECT id, total_xp FROM users WHERE id IN ("
                    + String.join(",", users.stream().map(x -> String.valueOf(x.id())).toList())
                    + ")")) {
      while (rs.next()) {
        totals.put(rs.getLong(1), rs.getLong(2));
      }
    }
    long[] expected = new long[attempts.size()];
    for (int i = 0; i < attempts.size(); i++) {
      var a = attempts.get(i);
      long total = totals.merge(a.userId(), (long) challengeXp.get(a.challengeId()), Long::sum);
      expected[i] = total;
    }
    var incoming = new ConcurrentLinkedQueue<Pending>();
    var failed = ConcurrentHashMap.<Long>newKeySet();
    var e2e = new Histogram(60_000_000L, 3);
    var done = new java.util.concurrent.atomic.AtomicBoolean();
    var unobserved = new AtomicInteger();
    var poller =
        new Thread(
            () -> {
              var pending = new ArrayList<Pending>();
              long giveUp = Long.MAX_VALUE;
              try (var jedis = new Jedis(o.redisUrl())) {
                while (true) {
                  Pending p;
                  while ((p = incoming.poll()) != null) {
                    pending.add(p);
                  }
                  if (done.get() && giveUp == Long.MAX_VALUE) {
                    giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                  }
                  if (pending.isEmpty() && done.get() && incoming.isEmpty()) {
                    break;
                  }
                  if (System.nanoTime() > giveUp) {
                    unobserved.addAndGet(pending.size());
                    break;
                  }
                  if (!pending.isEmpty()) {
                    var pipe = jedis.pipelined();
                    var replies = new ArrayList<Response<Object>>(pending.size());
                    for (var q : pending) {
                      replies.add(
                          pipe.eval(
                              XP_OF_USER,
                              List.of(o.leaderboardKey(), o.leaderboardMembersKey()),
                              List.of(String.valueOf(q.userId()))));
                    }
                    pipe.sync();
                    long now = System.nanoTime();
                    var still = new ArrayList<Pending>(pending.size());
                    for (int i = 0; i < pending.size(); i++) {
                      var q = pending.get(i);
                      Object score = replies.get(i).get();
                      if (failed.contains(q.intended())) {
                        continue;
                      }
                      if (score != null
                          && (long) Double.parseDouble(score.toString()) >= q.expectedXp()) {
                        e2e.recordValue(Math.max(0, (now - q.intended()) / 1000));
                      } else {
                        still.add(q);
                      }
                    }
                    pending = still;
                  }
                  LockSupport.parkNanos(200_000);
                }
              }
            },
            "e2e-poller");
    poller.start();
    var next = new AtomicInteger();
    log("award end-to-end: %d submits at %d/s ...", n, (long) rate);
    var start = System.nanoTime();
    var submits =
        OpenLoop.run(
            "submit (e2e)",
            rate,
            o.duration(),
            8,
            OpenLoop.connections(() -> new MiniHttp(o.baseUrl(), 10_000)),
            (conn, i) -> {
              int k = next.getAndIncrement();
              var a = attempts.get(k % attempts.size());
              long intended = OpenLoop.intendedNanos();
              incoming.add(new Pending(a.userId(), expected[k % attempts.size()], intended));
              int status =
                  conn.send(
                          "POST",
                          api + "/attempts/" + a.id() + "/submit",
                          token.get(a.userId()),
                          "{\"score\":100}")
                      .status();
              if (status != 202) {
                failed.add(intended);
              }
              return status;
            });
    done.set(true);
    poller.join(30_000);
    log(
        "  e2e p50 %.2f ms p99 %.2f ms (%d observed, %d not seen within 10 s), %.1fs",
        e2e.getValueAtPercentile(50) / 1000.0,
        e2e.getValueAtPercentile(99) / 1000.0,
        e2e.getTotalCount(),
        unobserved.get(),
        secondsSince(start));
    report.endToEnd(submits, e2e, unobserved.get(), rate);
  }

  /**
   * One worker's sustained award rate with a deep queue, at 10, 100 and 1,000 badges: insert N
   * submitted attempts, LPUSH their tasks in one pipeline, time until all are processed.
   * pg_stat_statements (filtered to the application's role) gives statements per award, the
   * worker's phase timers its award transactions.
   */
  private void drain(Seeder seeder, Connection db, JedisPooled redis, List<Long> challenges)
      throws Exception {
    boolean statements = ensureStatements(db);
    var random = new Random(99);
    var fresh = freshUsers(db);
    int round = 0;
    for (int badges : new int[] {10, 100, 1000}) {
      seeder.badges(badges);
      drainQueue(redis, Duration.ofSeconds(60));
      // give the worker a moment to see the new catalogue if it caches one
      Thread.sleep(1500);
      int n = o.drainTasks();
      long[] u = new long[n];
      long[] c = new long[n];
      int[] s = new int[n];
      for (int i = 0; i < n; i++) {
        u[i] = fresh.get((round * n + i) % fresh.size());
        c[i] = challenges.get(random.nextInt(challenges.size()));
        s[i] = random.nextInt(101);
      }
      round++;
      var attempts = seeder.attempts(u, c, s);
      long lo = attempts.stream().mapToLong(Seeder.NewAttempt::id).min().orElseThrow();
      long hi = attempts.stream().mapToLong(Seeder.NewAttempt::id).max().orElseThrow();
      Map<Long, double[]> before = statements ? statementStats(db) : Map.of();
      long xactBefore =
          seeder.scalar(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
      String metricsBefore = workerMetrics();
      Instant submittedAt = Instant.now();
      long t0 = System.nanoTime();
      try (var pipe = redis.pipelined()) {
        int k = 0;
        for (var a : attempts) {
          pipe.lpush(o.queueKey(), new AwardTask(a.id(), submittedAt).toJson());
          if (++k % 5000 == 0) {
            pipe.sync();
          }
        }
        pipe.sync();
      }
      long processed = 0;
      int polls = 0;
      long limit = t0 + TimeUnit.SECONDS.toNanos(Math.max(60, n / 100));
      long maxQueue = 0;
      String countSql =
          "SELECT count(*) FROM attempts WHERE id BETWEEN "
              + lo
              + " AND "
              + hi
              + " AND status IN ('passed', 'failed')";
      while (System.nanoTime() < limit) {
        maxQueue = Math.max(maxQueue, redis.llen(o.queueKey()));
        processed = seeder.scalar(countSql);
        polls++;
        if (processed >= n) {
          break;
        }
        Thread.sleep(50);
      }
      double seconds = secondsSince(t0);
      window("drain " + badges + " badges", secondOfDay() - seconds, secondOfDay());
      // pg_stat_database is flushed by backends at most once a second; pg_stat_statements is
      // immediate
      Thread.sleep(1500);
      long xactAfter =
          seeder.scalar(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
      Map<Long, double[]> after = statements ? statementStats(db) : Map.of();
      double[] locks = phases(metricsBefore, workerMetrics()).get("lock");
      double perAward = processed == 0 ? Double.NaN : 1.0 / processed;
      double calls = 0;
      double execMs = 0;
      var top = new ArrayList<Report.Statement>();
      for (var e : after.entrySet()) {
        double[] b = before.getOrDefault(e.getKey(), new double[] {0, 0});
        double dc = e.getValue()[0] - b[0];
        double dt = e.getValue()[1] - b[1];
        if (dc > 0) {
          calls += dc;
          execMs += dt;
          top.add(new Report.Statement(queryText(db, e.getKey()), dc * perAward, dt * perAward, 0));
        }
      }
      top.sort((x, y) -> Double.compare(y.msPerAward(), x.msPerAward()));
      // award transactions as the worker counts them (its lock phase runs once per transaction);
      // pg_stat_database also counts autovacuum's and every other role's, so it is only the
      // fallback, less the harness's own polls (one transaction each)
      double xactPerAward =
          locks != null ? locks[0] * perAward : (xactAfter - xactBefore - polls - 2) * perAward;
      log(
          "drain %d badges: %d/%d awards in %.2f s = %.0f/s, %.1f statements/award, %.2f xacts/award",
          badges, processed, n, seconds, processed / seconds, calls * perAward, xactPerAward);
      if (badges == 100) {
        spec.awardsPerSecond100 = processed / seconds;
      }
      double perTx = xactPerAward > 0 ? calls * perAward / xactPerAward : Double.NaN;
      if (badges == 10) {
        spec.badgesLow = badges;
        spec.statementsPerTxLow = statements ? perTx : Double.NaN;
      } else if (badges == 1000) {
        spec.badgesHigh = badges;
        spec.statementsPerTxHigh = statements ? perTx : Double.NaN;
      }
      report.drain(
          badges,
          n,
          processed,
          seconds,
          maxQueue,
          statements ? calls * perAward : Double.NaN,
          statements ? execMs * perAward : Double.NaN,
          xactPerAward,
          top.subList(0, Math.min(12, top.size())));
    }
    seeder.badges(100);
  }

  private boolean ensureStatements(Connection db) {
    try (var st = db.createStatement()) {
      st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      st.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
      return true;
    } catch (SQLException e) {
      report.note(
          "pg_stat_statements unavailable ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); "
              + "statements per award not measured, only transactions.");
      return false;
    }
  }

  private Map<Long, double[]> statementStats(Connection db) throws SQLException {
    var out = new HashMap<Long, double[]>();
    try (var ps =
        db.prepareStatement(
            "SELECT queryid, calls, total_exec_time, total_plan_time FROM pg_stat_statements s "
                + "JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = ? AND s.dbid = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())")) {
      ps.setString(1, o.appDbRole());
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.merge(
              rs.getLong(1),
              new double[] {rs.getLong(2), rs.getDouble(3), rs.getDouble(4)},
              (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
        }
      }
    }
    return out;
  }

  private static String queryText(Connection db, long queryId) throws SQLException {
    try (var ps =
        db.prepareStatement("SELECT query FROM pg_stat_statements WHERE queryid = ? LIMIT 1")) {
      ps.setLong(1, queryId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1).replaceAll("\\s+", " ") : "?";
      }
    }
  }

  // ------------------------------------------------------------------ raw limits, memory

  private void rawLimits(Connection db, JedisPooled redis) throws Exception {
    var raw = new RawLimits(o.work());
    int secs = o.quick() ? 5 : 10;
    log("raw limits: bcrypt, pgbench, redis-benchmark ...");
    report.raw(RawLimits.bcrypt(o.bcryptCost(), o.quick() ? 2 : 4));
    var pg = RawLimits.PgTarget.fromJdbc(o.dbUrl(), o.dbUser(), o.dbPassword());
    try {
      RawLimits.prepareTables(db);
      spec.oneRow = raw.pgbenchOneRow(pg, secs);
      report.raw(spec.oneRow);
      spec.oneRead = raw.pgbenchOneRead(pg, secs);
      report.raw(spec.oneRead);
      // at the lone awards' pace (one every 50 ms), for at least 200 samples
      spec.oneRowPaced = raw.pgbenchOneRowPaced(pg, Math.max(10, secs), 20);
      report.raw(spec.oneRowPaced);
      report.raw(raw.pgbench(pg, 8, secs, 0));
      // one client = one serial stream of commits, like one worker's award transactions
      report.raw(raw.pgbench(pg, 1, secs, 0));
      report.raw(raw.pgbench(pg, 8, secs, 1000));
    } catch (Exception e) {
      report.note("pgbench failed: " + e.getMessage());
    } finally {
      RawLimits.dropTables(db);
    }
    String key = o.leaderboardKey();
    long requests = o.quick() ? 50_000 : 200_000;
    var mid = redis.zrevrange(key, redis.zcard(key) / 2, redis.zcard(key) / 2);
    String member = mid.isEmpty() ? "1" : mid.get(0);
    try {
      report.raw(
          raw.redisBenchmark(
              o.redisUrl(), "ZREVRANGE lb 0 9", requests, "ZREVRANGE", key, "0", "9"));
      report.raw(
          raw.redisBenchmark(
              o.redisUrl(), "ZREVRANK lb (mid member)", requests, "ZREVRANK", key, member));
      String copy = o.redisPrefix() + "bench:zadd-copy";
      try (var slow = new Jedis(o.redisUrl(), 120_000)) {
        // copying a 1M-member set takes seconds: longer than the pooled client's timeout
        slow.zunionstore(copy, key);
      }
      report.raw(
          raw.redisBenchmark(
              o.redisUrl(),
              "ZADD (copy of lb)",
              requests,
              "ZADD",
              copy,
              "__rand_int__",
              "m:__rand_int__"));
      redis.unlink(copy);
    } catch (Exception e) {
      report.note("redis-benchmark failed: " + e.getMessage());
    }
    // the same Redis commands at the HTTP scenario's fixed rate, open model, one Jedis connection
    // per thread
    var jedis = OpenLoop.<Jedis>connections(() -> new Jedis(o.redisUrl()));
    var d = Duration.ofSeconds(secs);
    OpenLoop.Call<Jedis> topCall =
        (j, i) -> {
          j.zrevrangeWithScores(key, 0, 9);
          return 200;
        };
    OpenLoop.Call<Jedis> rankCall =
        (j, i) -> {
          var p = j.pipelined();
          p.zrevrank(key, member);
          p.zscore(key, member);
          p.sync();
          return 200;
        };
    // warmed up like the HTTP scenarios, so the client's JIT is not charged to Redis
    OpenLoop.run("redis warm-up", 5000, o.warmup(), 16, jedis, topCall);
    report.rawOpen(OpenLoop.run("redis ZREVRANGE 0 9 @5000/s", 5000, d, 16, jedis, topCall));
    OpenLoop.run("redis warm-up", 5000, o.warmup(), 16, jedis, rankCall);
    report.rawOpen(OpenLoop.run("redis ZREVRANK+ZSCORE @5000/s", 5000, d, 16, jedis, rankCall));
    log("  raw limits done");
  }

  private void memory() {
    for (var who :
        List.of(
            new String[] {"server", String.valueOf(o.serverPid()), o.serverLog()},
            new String[] {"worker", String.valueOf(workerPid), workerLog})) {
      long pid = Long.parseLong(who[1]);
      if (pid <= 0) {
        continue;
      }
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      String heap = "?";
      String hwm = "?";
      try {
        String info =
            RawLimits.exec(List.of("jcmd", String.valueOf(pid), "GC.heap_info"), null, 30);
        heap =
            info.lines()
                .filter(l -> l.contains("total") && l.contains("used"))
                .findFirst()
                .orElse("?")
                .trim();
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (l.startsWith("VmHWM")) {
            hwm = l.substring(6).trim();
          }
        }
      } catch (Exception e) {
        heap = "unavailable: " + e.getMessage();
      }
      boolean oom = false;
      if (!who[2].isEmpty()) {
        try {
          oom = Files.readString(Path.of(who[2])).contains("OutOfMemoryError");
        } catch (IOException ignored) {
          // no log
        }
      }
      report.memory(who[0], pid, alive, oom, heap, hwm);
      spec.heapOk.put(who[0], alive && !oom);
    }
  }

  // ------------------------------------------------------------------ helpers

  private void awaitHealthy(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      try (var c = new MiniHttp(o.baseUrl(), 2000)) {
        var r = c.send("GET", api + "/health", null, null);
        if (r.status() == 200) {
          return;
        }
        last = r.status() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "SkillQuest at " + o.baseUrl() + " is not healthy after " + timeout + ": " + last);
  }

  /**
   * The database's raw limit under the load a submit burst brings with it: pgbench's insert+update
   * at a fixed {@code rate} while the worker awards the same rate of attempts (owned by the
   * scenario's active users, fed to the queue on the same schedule). Submits commit beside those
   * awards on the same cores; pgbench alone, on a quiet box, does not.
   */
  private void pgbenchBesideAwards(
      Seeder seeder,
      Connection db,
      JedisPooled redis,
      List<User> users,
      List<Long> challenges,
      int rate)
      throws Exception {
    int secs = o.quick() ? 5 : 10;
    int n = rate * (secs + 2);
    long[] u = new long[n];
    long[] c = new long[n];
    int[] s = new int[n];
    var random = new Random(7);
    for (int i = 0; i < n; i++) {
      u[i] = users.get(i % users.size()).id();
      c[i] = challenges.get(random.nextInt(challenges.size()));
      s[i] = random.nextInt(101);
    }
    var attempts = seeder.attempts(u, c, s);
    var feeding = new java.util.concurrent.atomic.AtomicBoolean(true);
    var feeder =
        new Thread(
            () -> {
              long start = System.nanoTime();
              for (int i = 0; i < attempts.size() && feeding.get(); i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                redis.lpush(
                    o.queueKey(), new AwardTask(attempts.get(i).id(), Instant.now()).toJson());
              }
            },
            "award-feeder");
    var pg = RawLimits.PgTarget.fromJdbc(o.dbUrl(), o.dbUser(), o.dbPassword());
    try {
      RawLimits.prepareTables(db);
      feeder.start();
      Thread.sleep(1000); // the worker reaches its steady pace first
      var f = new RawLimits(o.work()).pgbench(pg, 8, secs, rate);
      spec.pgBeside = f;
      report.raw(
          new RawLimits.Figure(
              f.name() + ", awards beside",
              f.model(),
              f.perSecond(),
              f.p50(),
              f.p99(),
              f.p999(),
              f.note() + "; the worker awarding " + rate + " attempts/s meanwhile"));
      log("  raw pgbench @%d/s beside %d awards/s: p99 %.2f ms", rate, rate, f.p99());
    } catch (Exception e) {
      report.note("pgbench beside awards failed: " + e.getMessage());
    } finally {
      feeding.set(false);
      feeder.join();
      RawLimits.dropTables(db);
    }
    drainQueue(redis, Duration.ofSeconds(120));
  }

  /**
   * While the users were copied in and not yet ranked, the worker's upkeep may have seen a sorted
   * set smaller than the users table and started rebuilding it from the database. That rebuild ends
   * in one ZUNIONSTORE of the whole set, which blocks Redis for a second or more: let it finish
   * before measuring anything.
   */
  private void awaitNoRebuild(JedisPooled redis) throws InterruptedException {
    Thread.sleep(
        1500); // an upkeep that saw the sizes differ confirms after 500 ms before it takes the lock
    long start = System.nanoTime();
    long end = start + TimeUnit.MINUTES.toNanos(10);
    while (redis.exists(o.leaderboardLockKey()) && System.nanoTime() < end) {
      Thread.sleep(500);
    }
    double waited = secondsSince(start);
    if (waited >= 1) {
      report.note(
          String.format(
              Locale.ROOT,
              "Waited %.0f s for a leaderboard rebuild the worker started during seeding.",
              waited));
    }
  }

  private void drainQueue(JedisPooled redis, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    long len;
    while ((len = redis.llen(o.queueKey())) > 0 && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    if (len > 0) {
      report.note(
          "Queue still held "
              + len
              + " tasks after waiting "
              + timeout.toSeconds()
              + " s for it to drain.");
    }
  }

  private static Map<Long, Integer> challengeXp(Connection db) throws SQLException {
    var out = new LinkedHashMap<Long, Integer>();
    try (var st = db.createStatement();
        var rs = st.executeQuery("SELECT id, xp FROM challenges")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return out;
  }

  private static String version(Connection db) throws SQLException {
    try (var st = db.createStatement();
        var rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Appends a scenario's time window for bench/jfr-summary.sh. */
  private void window(String name, double from, double to) {
    try {
      Files.writeString(
          o.work().resolve("windows.tsv"),
          String.format(java.util.Locale.ROOT, "%s\t%.3f\t%.3f%n", name, from, to),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      log("cannot write windows.tsv: %s", e);
    }
  }

  private static double secondOfDay() {
    return java.time.LocalTime.now().toNanoOfDay() / 1e9;
  }

  static double secondsSince(long t) {
    return (System.nanoTime() - t) / 1e9;
  }

  static void log(String format, Object... args) {
    System.out.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    System.out.flush();
  }

  @SuppressWarnings("unused")
  private static URI uri(String s) {
    return URI.create(s);
  }
}
