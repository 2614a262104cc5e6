package io.skillquest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Grader results beside plain submits, and what authenticating an API client costs per request.
 *
 * <p>Against a running SkillQuest (its worker awarding beside it): creates a self-scored and an
 * external challenge, a grader client and a pool of players, then sends plain submits (on
 * pre-started attempts) and grader results ({@code POST /grader/results}) at the same fixed arrival
 * rate, one after the other, and reports both side by side. Both commit one attempt row and LPUSH
 * one task; the grader path adds the client's authentication and rate limit where a submit has the
 * JWT check.
 *
 * <p>Authentication overhead: a closed loop of sequential requests on one keep-alive connection,
 * alternating in rounds between {@code POST /grader/results} with body {@code {}} and a valid
 * client secret (authenticated, rate-limited, then refused 400 for the missing field) and the same
 * request with no Authorization header (refused 401 before any authentication work). The difference
 * of their medians is what authenticating a client adds to a request: the secret's SHA-256 and
 * constant-time compare, the cached credential, the Redis revocation check and the Redis rate-limit
 * call. The same is measured for a user's access token on {@code POST /attempts/{id}/submit} for
 * comparison.
 *
 * <p>Settings (environment): BENCH_BASE_URL or the first argument, SKILLQUEST_ADMIN_USERNAME /
 * SKILLQUEST_ADMIN_PASSWORD, BENCH_GRADER_RATE (200/s), BENCH_DURATION (10 s), BENCH_WARMUP (3 s),
 * BENCH_AUTH_REQUESTS (10,000 per kind), BENCH_RESULTS (bench/results). The server must allow the
 * rate: run.sh --grader raises SKILLQUEST_CLIENT_RATE_LIMIT.
 */
public final class GraderRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/v1";
  private static final int PLAYERS = 100;
  private static final int ROUNDS = 2;

  private final URI base;
  private final double rate;
  private final Duration duration;
  private final Duration warmup;
  private final int authRequests;

  private GraderRun(URI base, double rate, Duration duration, Duration warmup, int authRequests) {
    this.base = base;
    this.rate = rate;
    this.duration = duration;
    this.warmup = warmup;
    this.authRequests = authRequests;
  }

  public static void main(String[] args) throws Exception {
    var env = System.getenv();
    String url =
        args.length > 0 ? args[0] : env.getOrDefault("BENCH_BASE_URL", "http://127.0.0.1:8080");
    var run =
        new GraderRun(
            URI.create(url),
            Double.parseDouble(env.getOrDefault("BENCH_GRADER_RATE", "200")),
            Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_DURATION", "10"))),
            Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_WARMUP", "3"))),
            Integer.parseInt(env.getOrDefault("BENCH_AUTH_REQUESTS", "10000")));
    String report =
        run.measure(
            env.getOrDefault("SKILLQUEST_ADMIN_USERNAME", "admin"),
            env.getOrDefault("SKILLQUEST_ADMIN_PASSWORD", ""));
    System.out.println(report);
    var dir = Path.of(env.getOrDefault("BENCH_RESULTS", "bench/results"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("grader.md"), report);
    System.out.println("written to " + dir.resolve("grader.md"));
  }

  private record Player(long id, String token) {}

  private String measure(String adminName, String adminPassword) throws Exception {
    String loadBefore = loadAverage();
    String admin;
    String grader;
    long self;
    long external;
    var players = new ArrayList<Player>();
    try (var c = new MiniHttp(base, 30_000)) {
      admin =
          json(
                  c.send(
                      "POST",
                      API + "/auth/login",
                      null,
                      "{\"username\":\""
                          + adminName
                          + "\",\"password\":\""
                          + adminPassword
                          + "\"}"),
                  200)
              .path("access_token")
              .asText();
      String tag = Long.toString(System.currentTimeMillis(), 36);
      self = challenge(c, admin, "bench self " + tag, "self");
      external = challenge(c, admin, "bench graded " + tag, "external");
      grader =
          json(
                  c.send(
                      "POST",
                      API + "/admin/clients",
                      admin,
                      "{\"name\":\"bench-" + tag + "\",\"scopes\":[\"grade\"]}"),
                  201)
              .path("secret")
              .asText();
      log("registering %d players (bcrypt on the server: a few seconds)", PLAYERS);
      for (int i = 0; i < PLAYERS; i++) {
        String name = "gb" + tag + "x" + i;
        String password = "bench-password-" + tag;
        long id =
            json(
                    c.send(
                        "POST",
                        API + "/auth/register",
                        null,
                        "{\"username\":\""
                            + name
                            + "\",\"email\":\""
                            + name
                            + "@bench.test\",\"password\":\""
                            + password
                            + "\"}"),
                    201)
                .path("id")
                .asLong();
        String token =
            json(
                    c.send(
                        "POST",
                        API + "/auth/login",
                        null,
                        "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}"),
                    200)
                .path("access_token")
                .asText();
        players.add(new Player(id, token));
      }
    }

    // plain submits need started attempts: made beforehand so the scenario times the submit alone
    long submits = ROUNDS * Math.round(rate * (duration.toSeconds() + warmup.toSeconds())) + 1;
    log("starting %d attempts for the submit scenario", submits);
    record Started(long id, String token) {}
    var started = new ConcurrentLinkedQueue<Started>();
    try (var c = new MiniHttp(base, 30_000)) {
      for (long i = 0; i < submits; i++) {
        var p = players.get((int) (i % players.size()));
        long id =
            json(
                    c.send("POST", API + "/attempts", p.token(), "{\"challenge_id\":" + self + "}"),
                    201)
                .path("id")
                .asLong();
        started.add(new Started(id, p.token()));
      }
    }

    OpenLoop.Call<MiniHttp> submit =
        (c, i) -> {
          var a = started.poll();
          if (a == null) {
            throw new IllegalStateException("ran out of started attempts");
          }
          return c.send(
                  "POST",
                  API + "/attempts/" + a.id() + "/submit",
                  a.token(),
                  "{\"score\":" + (i % 101) + "}")
              .status();
        };
    OpenLoop.Call<MiniHttp> result =
        (c, i) -> {
          var p = players.get((int) (i % players.size()));
          return c.send(
                  "POST",
                  API + "/grader/results",
                  grader,
                  "{\"user_id\":"
                      + p.id()
                      + ",\"challenge_id\":"
                      + external
                      + ",\"score\":"
                      + (i % 101)
                      + "}")
              .status();
        };
    // alternated, so a warmer server or a busier minute does not favour one side
    var rounds = new ArrayList<OpenLoop.Result[]>();
    for (int r = 1; r <= ROUNDS; r++) {
      rounds.add(
          new OpenLoop.Result[] {
            open("submit, round " + r, submit), open("grader results, round " + r, result)
          });
    }

    log(
        "authentication overhead: %d sequential requests per kind, in alternating rounds",
        authRequests);
    long attempt;
    try (var c = new MiniHttp(base, 30_000)) {
      attempt =
          json(
                  c.send(
                      "POST",
                      API + "/attempts",
                      players.get(0).token(),
                      "{\"challenge_id\":" + self + "}"),
                  201)
              .path("id")
              .asLong();
    }
    String submitPath = API + "/attempts/" + attempt + "/submit";
    String resultsPath = API + "/grader/results";
    var clientAuthed = new long[authRequests];
    var clientNone = new long[authRequests];
    var userAuthed = new long[authRequests];
    var userNone = new long[authRequests];
    int authRounds = 20;
    int perRound = authRequests / authRounds;
    try (var c = new MiniHttp(base, 30_000)) {
      for (int i = 0; i < 500; i++) { // warm-up of every path
        expect(c.send("POST", resultsPath, grader, "{}"), 400);
        expect(c.send("POST", resultsPath, null, "{}"), 401);
        expect(c.send("POST", submitPath, players.get(0).token(), "{}"), 400);
        expect(c.send("POST", submitPath, null, "{}"), 401);
      }
      for (int r = 0; r < authRounds; r++) {
        for (int i = r * perRound; i < (r + 1) * perRound; i++) {
          clientAuthed[i] = timed(c, resultsPath, grader, 400);
        }
        for (int i = r * perRound; i < (r + 1) * perRound; i++) {
          clientNone[i] = timed(c, resultsPath, null, 401);
        }
        for (int i = r * perRound; i < (r + 1) * perRound; i++) {
          userAuthed[i] = timed(c, submitPath, players.get(0).token(), 400);
        }
        for (int i = r * perRound; i < (r + 1) * perRound; i++) {
          userNone[i] = timed(c, submitPath, null, 401);
        }
      }
    }
    int n = authRounds * perRound;
    String loadAfter = loadAverage();

    var out = new StringBuilder();
    out.append("# Grader results beside plain submits\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%s, %s, %d players; load average at start %s, at end %s.%n%n",
            Instant.now(),
            base,
            PLAYERS,
            loadBefore,
            loadAfter));
    out.append(
        "| scenario | offered /s | achieved /s | ok | errors | p50 ms | p99 ms | p99.9 ms | max ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var res : rounds.stream().flatMap(Arrays::stream).toList()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %d | %d%s | %.2f | %.2f | %.2f | %.2f |%n",
              res.name(),
              res.targetRate(),
              res.achievedRate(),
              res.ok(),
              res.errors(),
              res.errors() > 0 ? " " + res.statuses() : "",
              res.p(50),
              res.p(99),
              res.p(99.9),
              res.maxMillis()));
    }
    out.append("\n");
    for (int r = 0; r < rounds.size(); r++) {
      var pair = rounds.get(r);
      out.append(
          String.format(
              Locale.ROOT,
              "Round %d, grader results / submits: p50 %.2f, p99 %.2f.%n",
              r + 1,
              pair[1].p(50) / pair[0].p(50),
              pair[1].p(99) / pair[0].p(99)));
    }
    out.append("\n");
    out.append("## Authentication per request (sequential, one keep-alive connection)\n\n");
    out.append("| request | n | median µs | p90 µs |\n|---|---:|---:|---:|\n");
    row(out, "POST /grader/results {} with a client secret (400 after auth)", clientAuthed, n);
    row(out, "POST /grader/results {} without credentials (401 before auth)", clientNone, n);
    row(out, "POST /attempts/{id}/submit {} with a user token (400 after auth)", userAuthed, n);
    row(out, "POST /attempts/{id}/submit {} without credentials (401 before auth)", userNone, n);
    out.append(
        String.format(
            Locale.ROOT,
            "%nAPI client authentication adds %.1f µs per request (difference of medians);"
                + " a user's access token adds %.1f µs.%n",
            (median(clientAuthed, n) - median(clientNone, n)) / 1000.0,
            (median(userAuthed, n) - median(userNone, n)) / 1000.0));
    return out.toString();
  }

  private OpenLoop.Result open(String name, OpenLoop.Call<MiniHttp> call) {
    int threads = (int) Math.max(8, Math.min(64, rate / 40));
    var connections = OpenLoop.connections(() -> new MiniHttp(base, 10_000));
    if (!warmup.isZero()) {
      OpenLoop.run(name + " warm-up", rate, warmup, threads, connections, call);
    }
    log("%s: %d/s for %d s ...", name, (long) rate, duration.toSeconds());
    var result = OpenLoop.run(name, rate, duration, threads, connections, call);
    log("  %s", Report.summary(result));
    return result;
  }

  private static long timed(MiniHttp c, String path, String bearer, int status) throws IOException {
    long t0 = System.nanoTime();
    var r = c.send("POST", path, bearer, "{}");
    long t = System.nanoTime() - t0;
    expect(r, status);
    return t;
  }

  private static void row(StringBuilder out, String name, long[] nanos, int n) {
    var sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %.1f | %.1f |%n",
            name,
            n,
            sorted[n / 2] / 1000.0,
            sorted[(int) (n * 0.9)] / 1000.0));
  }

  private static double median(long[] nanos, int n) {
    var sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    return sorted[n / 2];
  }

  private static long challenge(MiniHttp c, String admin, String title, String scoring)
      throws IOException {
    return json(
            c.send(
                "POST",
                API + "/challenges",
                admin,
                "{\"title\":\""
                    + title
                    + "\",\"xp\":100,\"difficulty\":\"easy\",\"published\":true,\"scoring\":\""
                    + scoring
                    + "\"}"),
            201)
        .path("id")
        .asLong();
  }

  private static JsonNode json(MiniHttp.Response r, int status) throws IOException {
    expect(r, status);
    return JSON.readTree(r.body());
  }

  private static void expect(MiniHttp.Response r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException(
          "expected " + status + ", got " + r.status() + ": " + r.body());
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[grader] " + format + "%n", args);
  }
}
