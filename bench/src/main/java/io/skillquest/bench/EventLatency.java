package io.skillquest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Event latency, commit to Server-Sent Event client: {@code BENCH_STREAMS} (1,000) open {@code
 * /events/stream} connections, {@code BENCH_STREAMS_PER_USER} (5) per user, while attempts are
 * submitted at {@code BENCH_RATE} (100/s) for {@code BENCH_SECONDS} (30) after a 5 s warm-up. For
 * every {@code attempt.processed} event each of its user's streams receives, the sample is the time
 * it was read minus the event's {@code created_at}. {@code created_at} is when the award
 * transaction began, not when it committed, so each sample also contains that transaction's own
 * duration: the figures are an upper bound of commit-to-client latency.
 *
 * <pre>
 * BENCH_ADMIN_PASSWORD=... java -cp bench/target/skillquest-bench.jar \
 *     io.skillquest.bench.EventLatency http://127.0.0.1:8080
 * </pre>
 *
 * The server must allow the load: {@code SKILLQUEST_STREAM_MAX} at least the stream count, and the
 * per-IP auth and per-user attempt-start limits raised (every request comes from one address).
 */
public final class EventLatency {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Histogram latencyMicros = new Histogram(60_000_000L, 3);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final Map<Long, Integer> streamsOfUser = new ConcurrentHashMap<>();
  private final Map<Long, Integer> expectedFromStreams = new ConcurrentHashMap<>();
  private volatile Instant measureFrom = Instant.MAX;
  private volatile Instant measureUntil = Instant.MAX;

  private EventLatency(URI base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    var base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    var adminPassword = env("BENCH_ADMIN_PASSWORD", "");
    if (adminPassword.isEmpty()) {
      System.err.println("set BENCH_ADMIN_PASSWORD to the server's admin password");
      System.exit(2);
    }
    int streams = Integer.parseInt(env("BENCH_STREAMS", "1000"));
    int perUser = Integer.parseInt(env("BENCH_STREAMS_PER_USER", "5"));
    int rate = Integer.parseInt(env("BENCH_RATE", "100"));
    int seconds = Integer.parseInt(env("BENCH_SECONDS", "30"));
    var report = new EventLatency(base).run(adminPassword, streams, perUser, rate, seconds);
    System.out.println(report);
    var out = env("BENCH_EVENTS_REPORT", "");
    if (!out.isEmpty()) {
      Files.writeString(Path.of(out), report);
    }
    System.exit(0);
  }

  private static String env(String name, String fallback) {
    var v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private String run(String adminPassword, int streams, int perUser, int rate, int seconds)
      throws Exception {
    var http = new MiniHttp(base, 10_000);
    var admin = token(http.send("POST", "/api/v1/auth/login", null, login("admin", adminPassword)));
    var challenges = new ArrayList<Long>();
    for (int i = 0; i < 20; i++) {
      var created =
          http.send(
              "POST",
              "/api/v1/challenges",
              admin,
              "{\"title\":\"events bench "
                  + i
                  + "\",\"xp\":1000,\"difficulty\":\"easy\",\"published\":true}");
      challenges.add(JSON.readTree(created.body()).get("id").asLong());
    }

    int users = (streams + perUser - 1) / perUser;
    var run = Long.toString(System.currentTimeMillis(), 36);
    var tokens = new String[users];
    var ids = new long[users];
    var setup = Executors.newFixedThreadPool(4);
    var failures = new AtomicInteger();
    for (int u = 0; u < users; u++) {
      int i = u;
      setup.execute(
          () -> {
            try (var c = new MiniHttp(base, 10_000)) {
              var name = "ev" + run + "x" + i;
              var reg =
                  c.send(
                      "POST",
                      "/api/v1/auth/register",
                      null,
                      "{\"username\":\""
                          + name
                          + "\",\"email\":\""
                          + name
                          + "@bench.test\",\"password\":\"bench-otter-canoe-9\"}");
              ids[i] = JSON.readTree(reg.body()).get("id").asLong();
              tokens[i] =
                  token(
                      c.send(
                          "POST", "/api/v1/auth/login", null, login(name, "bench-otter-canoe-9")));
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          });
    }
    setup.shutdown();
    setup.awaitTermination(10, TimeUnit.MINUTES);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " users could not be set up");
    }

    var readers = new ArrayList<Thread>();
    var sockets = new ArrayList<Socket>();
    for (int s = 0; s < streams; s++) {
      int u = s % users;
      var socket = openStream(tokens[u]);
      sockets.add(socket);
      streamsOfUser.merge(ids[u], 1, Integer::sum);
      var t = new Thread(() -> read(socket), "sse-" + s);
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    Thread.sleep(2000);

    // open loop: start + submit pairs at a fixed rate, spread over a few connections
    var submitters = Executors.newFixedThreadPool(8);
    var conns = ThreadLocal.withInitial(() -> new MiniHttp(base, 10_000));
    var submitted = new AtomicLong();
    var submitErrors = new AtomicLong();
    long intervalNanos = 1_000_000_000L / rate;
    var warmup = Duration.ofSeconds(5);
    var start = System.nanoTime();
    long total = (long) rate * (warmup.toSeconds() + seconds);
    measureFrom = Instant.now().plus(warmup);
    measureUntil = measureFrom.plusSeconds(seconds);
    for (long n = 0; n < total; n++) {
      long due = start + n * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int u = (int) (n % users);
      long challenge = challenges.get((int) ((n / users) % challenges.size()));
      submitters.execute(
          () -> {
            try {
              var c = conns.get();
              var started =
                  c.send(
                      "POST",
                      "/api/v1/attempts",
                      tokens[u],
                      "{\"challenge_id\":" + challenge + "}");
              long attempt = JSON.readTree(started.body()).get("id").asLong();
              var r =
                  c.send(
                      "POST",
                      "/api/v1/attempts/" + attempt + "/submit",
                      tokens[u],
                      "{\"score\":" + (50 + (attempt % 50)) + "}");
              if (r.status() == 202) {
                submitted.incrementAndGet();
              } else {
                submitErrors.incrementAndGet();
              }
            } catch (Exception e) {
              submitErrors.incrementAndGet();
            }
          });
    }
    submitters.shutdown();
    submitters.awaitTermination(1, TimeUnit.MINUTES);
    Thread.sleep(5000);
    // each distinct event of the window should have reached every stream of its user
    long expected = expectedFromStreams.values().stream().mapToLong(Integer::longValue).sum();
    for (var s : sockets) {
      s.close();
    }

    var h = latencyMicros.copy();
    return String.format(
        "## Event latency, commit -> SSE client (%s)%n%n"
            + "%d streams (%d users x %d), %d awards/s submitted for %d s after a 5 s warm-up; %d"
            + " submits accepted, %d failed.%n%n"
            + "| events | samples | expected | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |%n"
            + "|---|---|---|---|---|---|---|---|%n"
            + "| %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n%n"
            + "A sample is one attempt.processed event read by one stream: its read time minus the"
            + " event's created_at (the award transaction's start, so each sample includes that"
            + " transaction's duration). Events: distinct attempt.processed events created in the"
            + " measured window; expected: each of them times the streams of its user.%n",
        Instant.now(),
        streams,
        users,
        perUser,
        rate,
        seconds,
        submitted.get(),
        submitErrors.get(),
        expectedFromStreams.size(),
        h.getTotalCount(),
        expected,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  private Socket openStream(String token) throws IOException {
    var socket = new Socket();
    socket.connect(
        new InetSocketAddress(base.getHost(), base.getPort() < 0 ? 80 : base.getPort()), 5000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /api/v1/events/stream HTTP/1.1\r\nHost: "
                + base.getHost()
                + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                + token
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private void read(Socket socket) {
    try (var in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      var status = in.readLine();
      if (status == null || !status.contains(" 200 ")) {
        System.err.println("stream refused: " + status);
        return;
      }
      String line;
      String event = null;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:") && "attempt.processed".equals(event)) {
          var now = Instant.now();
          var node = JSON.readTree(line.substring(5).trim());
          var createdAt = Instant.parse(node.get("created_at").asText());
          if (!createdAt.isBefore(measureFrom) && createdAt.isBefore(measureUntil)) {
            long micros = Duration.between(createdAt, now).toNanos() / 1000;
            synchronized (latencyMicros) {
              latencyMicros.recordValue(Math.max(0, Math.min(micros, 59_000_000L)));
            }
            received.incrementAndGet();
            long user = node.get("data").get("user_id").asLong();
            expectedFromStreams.putIfAbsent(node.get("id").asLong(), streamsOfUser.get(user));
          } else if (createdAt.isAfter(measureUntil)) {
            late.incrementAndGet();
          }
        } else if (line.isEmpty()) {
          event = null;
        }
      }
    } catch (IOException e) {
      // closed at the end of the run
    }
  }

  private static String login(String user, String password) {
    return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
  }

  private static String token(MiniHttp.Response r) throws IOException {
    if (r.status() != 200) {
      throw new IllegalStateException("login failed: " + r.status() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("access_token").asText();
  }
}
