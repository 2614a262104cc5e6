package io.skillquest.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.server.testing.SseReader;
import io.skillquest.store.StoreConfig;
import io.skillquest.store.testing.TestStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two server processes and two worker processes from the packaged jars, one PostgreSQL, one Redis,
 * behind a real haproxy: sessions, rate limits and revocations hold across instances, either worker
 * takes any submission, and a server killed with SIGKILL mid-run costs no more than the requests it
 * was serving at that instant and loses no submission.
 *
 * <p>The tests run in order and build on each other: the last one kills a server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String ADMIN_PASSWORD = "e2e-admin-password-123";
  // not containing the username: the password policy refuses that
  private static final String DANA_PASSWORD = "violet-otter-canoe";
  private static final Pattern PROCESSED =
      Pattern.compile(
          "(?m)^skillquest_worker_awards_total\\{[^}]*result=\"processed\"[^}]*}\\s+(\\S+)$");

  private static final List<AutoCloseable> started = new CopyOnWriteArrayList<>();
  private static final Map<String, JarProcess> servers = new LinkedHashMap<>();
  private static final Map<String, Integer> serverPorts = new LinkedHashMap<>();
  private static final List<JarProcess> workers = new ArrayList<>();
  private static final List<Integer> workerMetricsPorts = new ArrayList<>();
  private static final Set<String> killed = ConcurrentHashMap.newKeySet();
  private static StoreConfig stores;
  private static HaproxyProcess haproxy;
  private static String balancer;

  /** Challenge id to its XP, created by the admin once. */
  private static final Map<Long, Integer> challenges = new LinkedHashMap<>();

  /** Every user's tokens, by username. */
  private static final Map<String, Tokens> players = new LinkedHashMap<>();

  /**
   * Every submission the balancer accepted (202), and the in-flight ones whose outcome is unknown.
   */
  private static final List<Play> accepted = new CopyOnWriteArrayList<>();

  private static final List<Long> uncertain = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startEverything() throws Exception {
    // whatever fails from here on, no child process may outlive the test JVM
    Runtime.getRuntime()
        .addShutdownHook(new Thread(MultiInstanceIT::closeAllQuietly, "multi-instance-cleanup"));
    stores = TestStores.fresh();
    var logs = Path.of("target", "e2e-logs", "multi-instance");
    Files.createDirectories(logs);

    var common = new HashMap<String, String>();
    common.put("SKILLQUEST_DB_URL", stores.dbUrl());
    common.put("SKILLQUEST_DB_USER", stores.dbUser());
    common.put("SKILLQUEST_DB_PASSWORD", stores.dbPassword());
    common.put("SKILLQUEST_REDIS_URL", stores.redisUrl());
    common.put("SKILLQUEST_REDIS_PREFIX", stores.redisPrefix());
    common.put("SKILLQUEST_JWT_SECRET", "multi-instance-secret-long-enough-for-hs256-0123456789");
    common.put("SKILLQUEST_ADMIN_USERNAME", "admin");
    common.put("SKILLQUEST_ADMIN_PASSWORD", ADMIN_PASSWORD);
    common.put("SKILLQUEST_BCRYPT_COST", "4");
    common.put("SKILLQUEST_LOGIN_FAILURE_LIMIT", "3/1m");
    common.put("SKILLQUEST_TRUSTED_PROXIES", "127.0.0.1");
    common.put("SKILLQUEST_WORKER_GRACE_SECONDS", "3");
    common.put("SKILLQUEST_WORKER_THREADS", "1");
    common.put("SKILLQUEST_WORKER_DB_POOL_SIZE", "4");
    common.put("SKILLQUEST_DB_POOL_SIZE", "4");
    // a load test: a handful of players start hundreds of attempts within a minute
    common.put("SKILLQUEST_ATTEMPT_START_LIMIT", "100000/1m");
    // below the balancer's 15 s server timeout, so an idle event stream is not cut by it
    common.put("SKILLQUEST_STREAM_KEEPALIVE_MS", "5000");

    var serverJar =
        Path.of(System.getProperty("skillquest.server.jar", "target/skillquest-server.jar"));
    var workerJar =
        Path.of(
            System.getProperty(
                "skillquest.worker.jar", "../skillquest-worker/target/skillquest-worker.jar"));
    // all at once, as a Deployment's replicas start: migrations and the first administrator must
    // tolerate a twin doing the same at the same moment
    for (var name : List.of("s1", "s2")) {
      int port = freePort();
      var env = new HashMap<>(common);
      env.put("SKILLQUEST_PORT", Integer.toString(port));
      env.put("SKILLQUEST_RUN_WORKER", "false");
      env.put("SKILLQUEST_MANAGEMENT_PORT", "0");
      var server = JarProcess.start(serverJar, env, logs.resolve(name + ".log"));
      started.add(server);
      servers.put(name, server);
      serverPorts.put(name, port);
    }
    for (int i = 1; i <= 2; i++) {
      int metricsPort = freePort();
      var env = new HashMap<>(common);
      env.put("SKILLQUEST_WORKER_METRICS_PORT", Integer.toString(metricsPort));
      var worker = JarProcess.start(workerJar, env, logs.resolve("worker" + i + ".log"));
      started.add(worker);
      workers.add(worker);
      workerMetricsPorts.add(metricsPort);
    }
    for (var name : servers.keySet()) {
      awaitDirectlyHealthy(name);
    }
    int port = freePort();
    balancer = "http://127.0.0.1:" + port;
    haproxy = HaproxyProcess.start(port, serverPorts, logs);
    started.add(haproxy);
    for (var name : servers.keySet()) {
      awaitServedThroughBalancer(name);
    }
    for (int i = 0; i < workers.size(); i++) {
      awaitMetrics(i);
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    try {
      for (var entry : servers.entrySet()) {
        if (!killed.contains(entry.getKey())) {
          assertThat(entry.getValue().alive()).as(entry.getValue().output()).isTrue();
        }
      }
      for (var worker : workers) {
        assertThat(worker.alive()).as(worker.output()).isTrue();
      }
    } finally {
      closeAllQuietly();
    }
  }

  private static void closeAllQuietly() {
    // balancer first, then servers, then workers: the reverse of the order they rely on each other
    var all = new ArrayList<>(started);
    Collections.reverse(all);
    for (var process : all) {
      try {
        process.close();
      } catch (Exception | AssertionError e) {
        System.err.println("could not stop " + process + ": " + e);
      }
    }
    started.clear();
  }

  @Test
  @Order(1)
  void sessionsRateLimitsAndRevocationsHoldAcrossInstances() throws Exception {
    var registered =
        call(
            "POST",
            "/auth/register",
            Map.of("username", "dana", "email", "dana@example.com", "password", DANA_PASSWORD),
            null,
            "s1");
    assertThat(registered.status).as(registered.body.toString()).isEqualTo(201);
    assertThat(registered.servedBy).isEqualTo("s1");

    // logged in on one instance, refreshed on the other: the refresh token's family is in the
    // shared database, the signing key is the same
    var login =
        call(
            "POST",
            "/auth/login",
            Map.of("username", "dana", "password", DANA_PASSWORD),
            null,
            "s2");
    assertThat(login.status).as(login.body.toString()).isEqualTo(200);
    assertThat(login.servedBy).isEqualTo("s2");
    var first = tokens(login);
    var refreshed =
        call("POST", "/auth/refresh", Map.of("refresh_token", first.refresh), null, "s1");
    assertThat(refreshed.status).as(refreshed.body.toString()).isEqualTo(200);
    assertThat(refreshed.servedBy).isEqualTo("s1");
    var rotated = tokens(refreshed);
    var me = call("GET", "/auth/me", null, rotated.access, "s2");
    assertThat(me.status).isEqualTo(200);
    assertThat(me.body.get("username").asText()).isEqualTo("dana");
    // the spent refresh token, replayed on the other instance, is refused
    assertThat(
            call("POST", "/auth/refresh", Map.of("refresh_token", first.refresh), null, "s2")
                .status)
        .isEqualTo(401);

    // logout on one instance revokes the access token on the other (the revocation is in Redis)
    var login2 =
        call(
            "POST",
            "/auth/login",
            Map.of("username", "dana", "password", DANA_PASSWORD),
            null,
            "s1");
    assertThat(login2.status).isEqualTo(200);
    var session = tokens(login2);
    assertThat(call("GET", "/auth/me", null, session.access, "s2").status).isEqualTo(200);
    var logout = call("POST", "/auth/logout", null, session.access, "s2");
    assertThat(logout.status).isEqualTo(204);
    assertThat(logout.servedBy).isEqualTo("s2");
    var revoked = call("GET", "/auth/me", null, session.access, "s1");
    assertThat(revoked.servedBy).isEqualTo("s1");
    assertThat(revoked.status).as("logged out on s2, used on s1").isEqualTo(401);
    assertThat(
            call("POST", "/auth/refresh", Map.of("refresh_token", session.refresh), null, "s1")
                .status)
        .isEqualTo(401);

    // failed logins are counted in Redis: three on s1 and s2 alternately use up the limit of 3,
    // and the fourth, even with the right password, is refused on either instance
    for (var instance : List.of("s1", "s2", "s1")) {
      var wrong =
          call(
              "POST",
              "/auth/login",
              Map.of("username", "dana", "password", "not-her-password"),
              null,
              instance);
      assertThat(wrong.status).as("wrong password on %s", instance).isEqualTo(401);
      assertThat(wrong.servedBy).isEqualTo(instance);
    }
    for (var instance : List.of("s2", "s1")) {
      var limited =
          call(
              "POST",
              "/auth/login",
              Map.of("username", "dana", "password", DANA_PASSWORD),
              null,
              instance);
      assertThat(limited.servedBy).isEqualTo(instance);
      assertThat(limited.status).as("limited on %s", instance).isEqualTo(429);
      assertThat(limited.retryAfter).as("Retry-After").isNotNull();
    }
  }

  @Test
  @Order(2)
  void eitherWorkerAwardsAndEveryXpIsExact() throws Exception {
    var admin = tokens(call("POST", "/auth/login", adminCredentials(), null, null));
    int[] worth = {100, 250, 40, 300, 75, 120, 90, 60};
    for (int i = 0; i < worth.length; i++) {
      var created =
          call(
              "POST",
              "/challenges",
              Map.of(
                  "title",
                  "Challenge " + i,
                  "xp",
                  worth[i],
                  "difficulty",
                  "easy",
                  "published",
                  true),
              admin.access,
              null);
      assertThat(created.status).as(created.body.toString()).isEqualTo(201);
      challenges.put(created.body.get("id").asLong(), worth[i]);
    }
    for (int i = 0; i < 6; i++) {
      var name = "player" + i;
      // registered on one instance, logged in on the other
      var reg =
          call(
              "POST",
              "/auth/register",
              Map.of(
                  "username",
                  name,
                  "email",
                  name + "@example.com",
                  "password",
                  "pw-" + name.length() + "-otter-canoe"),
              null,
              i % 2 == 0 ? "s1" : "s2");
      assertThat(reg.status).as(reg.body.toString()).isEqualTo(201);
      var login =
          call(
              "POST",
              "/auth/login",
              Map.of("username", name, "password", "pw-" + name.length() + "-otter-canoe"),
              null,
              i % 2 == 0 ? "s2" : "s1");
      assertThat(login.status).isEqualTo(200);
      players.put(name, tokens(login));
    }

    // every player tries every challenge, some twice with a different score, round robin over
    // both servers; nothing is pinned
    var served = new HashSet<String>();
    var ids = List.copyOf(challenges.keySet());
    int n = 0;
    for (var player : players.entrySet()) {
      for (int c = 0; c < ids.size(); c++) {
        int tries = (c + n) % 3 == 0 ? 2 : 1;
        for (int t = 0; t < tries; t++) {
          int score = (n * 37 + c * 11 + t * 53) % 101;
          var play = play(player.getKey(), player.getValue(), ids.get(c), score);
          assertThat(play.outcome).as("submission through the balancer").isEqualTo("accepted");
          served.addAll(play.servedBy);
        }
      }
      n++;
    }
    assertThat(served).as("the balancer used both servers").containsExactlyInAnyOrder("s1", "s2");

    awaitAllProcessed();
    assertXpExact();
    var perWorker = awaitProcessedCounters(accepted.size());
    assertThat(perWorker)
        .as("awards per worker: both took submissions")
        .allSatisfy(count -> assertThat(count).isPositive());
  }

  @Test
  @Order(3)
  void anEventCommittedByAWorkerReachesAStreamOnTheOtherInstance() throws Exception {
    var name = "player0";
    assertThat(players).as("players from the previous test").containsKey(name);
    // a login of its own: it is logged out at the end
    var login =
        call(
            "POST",
            "/auth/login",
            Map.of("username", name, "password", "pw-" + name.length() + "-otter-canoe"),
            null,
            "s1");
    var own = tokens(login);
    // the ticket is issued by s1 and redeemed on s2: it lives in Redis
    var ticket = call("POST", "/events/tickets", null, own.access, "s1");
    assertThat(ticket.status).as(ticket.body.toString()).isEqualTo(201);
    try (var stream =
        SseReader.open(
            balancer + "/api/v1/events/stream?ticket=" + ticket.body.get("ticket").asText(),
            Map.of(HaproxyProcess.PIN_HEADER, "s2"))) {
      assertThat(stream.status()).as(stream.text()).isEqualTo(200);
      assertThat(stream.header(HaproxyProcess.SERVED_BY_HEADER)).isEqualTo("s2");
      // s1 takes the start and the submit; either worker commits the award
      long challenge = challenges.keySet().iterator().next();
      var startedAt = Instant.now();
      var start = call("POST", "/attempts", Map.of("challenge_id", challenge), own.access, "s1");
      assertThat(start.status).as(start.body.toString()).isEqualTo(201);
      long attempt = start.body.get("id").asLong();
      var submittedAt = Instant.now();
      var submit =
          call("POST", "/attempts/" + attempt + "/submit", Map.of("score", 70), own.access, "s1");
      assertThat(submit.status).isEqualTo(202);
      assertThat(submit.servedBy).isEqualTo("s1");
      // counted with the rest, so the later checks of exact XP and processed totals include it
      accepted.add(
          new Play(
              name,
              challenge,
              70,
              attempt,
              startedAt,
              submittedAt,
              List.of("s1", "s1"),
              "accepted"));
      SseReader.Message processed = null;
      var deadline = Instant.now().plusSeconds(20);
      while (processed == null && Instant.now().isBefore(deadline)) {
        var m = stream.next(Duration.ofMillis(500));
        if (m != null
            && m.event().equals("attempt.processed")
            && JSON.readTree(m.data()).path("data").path("attempt_id").asLong() == attempt) {
          processed = m;
        }
      }
      assertThat(processed).as("attempt.processed on s2; " + stream.text()).isNotNull();
      var body = JSON.readTree(processed.data());
      assertThat(processed.id()).isEqualTo(body.get("id").asText());
      assertThat(body.path("data").path("score").asInt()).isEqualTo(70);

      // logging out on s1 ends the login's stream on s2
      assertThat(call("POST", "/auth/logout", null, own.access, "s1").status).isEqualTo(204);
      assertThat(stream.awaitEnd(Duration.ofSeconds(10)))
          .as("the stream on s2 ended after the logout on s1")
          .isTrue();
    }
  }

  @Test
  @Order(4)
  void aServerKilledMidRunFailsOnlyItsInFlightRequestsAndLosesNoSubmission() throws Exception {
    assertThat(players).as("players from the previous test").isNotEmpty();
    int before = accepted.size();
    var ids = List.copyOf(challenges.keySet());
    var names = List.copyOf(players.keySet());
    int clients = 2;
    int playsPerClient = 150;
    var failures = new CopyOnWriteArrayList<Play>();
    var done = new AtomicInteger();
    var servedBeforeKill = ConcurrentHashMap.<String>newKeySet();
    var servedAfterKill = ConcurrentHashMap.<String>newKeySet();
    var killedAt = new AtomicReference<Instant>();
    Instant killStartedAt;
    var stop = new AtomicBoolean();
    var pool = Executors.newFixedThreadPool(clients);
    try {
      var futures = new ArrayList<Future<?>>();
      for (int client = 0; client < clients; client++) {
        int k = client;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < playsPerClient && !stop.get(); i++) {
                    var name = names.get((k * 3 + i) % names.size());
                    long challenge = ids.get((i * 5 + k) % ids.size());
                    int score = 40 + (i * 13 + k * 7) % 61;
                    var play = play(name, players.get(name), challenge, score);
                    if (!"accepted".equals(play.outcome)) {
                      failures.add(play);
                    } else if (killedAt.get() == null) {
                      servedBeforeKill.addAll(play.servedBy);
                    } else if (play.firstSentAt.isAfter(killedAt.get())) {
                      servedAfterKill.addAll(play.servedBy);
                    }
                    done.incrementAndGet();
                  }
                  return null;
                }));
      }
      // kill s1 a third of the way in, with both clients mid-stream
      var deadline = Instant.now().plusSeconds(40);
      while (done.get() < clients * playsPerClient / 3) {
        assertThat(Instant.now()).as("clients made no progress").isBefore(deadline);
        Thread.sleep(5);
      }
      killed.add("s1");
      killStartedAt = Instant.now();
      servers.get("s1").kill();
      // from here s1 is reaped: a request sent later cannot have been in flight on it. Until then
      // it was dying: its kernel may still complete connections its listening socket had queued,
      // and reset them when the process's sockets close.
      killedAt.set(Instant.now());
      for (var f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }

    System.out.printf(
        "kill phase: %d plays, %d accepted, %d failed in flight %s, %d submissions in doubt;"
            + " SIGKILL at %s, reaped %d ms later%n",
        done.get(),
        accepted.size() - before,
        failures.size(),
        failures,
        uncertain.size(),
        killStartedAt,
        Duration.between(killStartedAt, killedAt.get()).toMillis());
    assertThat(done.get()).isEqualTo(clients * playsPerClient);
    // every failed request was sent while s1 was alive or dying; once it was gone, none failed
    for (var failure : failures) {
      assertThat(failure.sentAt).as("failed %s", failure).isBefore(killedAt.get());
    }
    assertThat(servedBeforeKill).as("before the kill both served").contains("s1", "s2");
    assertThat(servedAfterKill).as("after the kill only s2 serves").containsExactly("s2");
    assertThat(accepted.size() - before).isEqualTo(clients * playsPerClient - failures.size());

    awaitAllProcessed();
    assertXpExact();
    long processedInDb = processedAttempts();
    awaitProcessedCounters(processedInDb);
    assertThat(processedInDb)
        .as("accepted plus those in flight that did commit")
        .isBetween((long) accepted.size(), (long) accepted.size() + uncertain.size());
    assertThat(haproxy.alive()).as(haproxy.output()).isTrue();
  }

  // --- the journey's steps

  /** One start + submit, through the balancer; the outcome says which step failed, if any. */
  private static Play play(String user, Tokens who, long challenge, int score) {
    var firstSentAt = Instant.now();
    var sentAt = firstSentAt;
    var servedBy = new ArrayList<String>();
    long id = -1;
    try {
      var start = call("POST", "/attempts", Map.of("challenge_id", challenge), who.access, null);
      servedBy.add(start.servedBy);
      if (start.status != 201) {
        return new Play(
            user, challenge, score, -1, firstSentAt, sentAt, servedBy, "start " + start.status);
      }
      id = start.body.get("id").asLong();
      sentAt = Instant.now();
      var submit =
          call("POST", "/attempts/" + id + "/submit", Map.of("score", score), who.access, null);
      servedBy.add(submit.servedBy);
      if (submit.status != 202) {
        uncertain.add(id);
        return new Play(
            user, challenge, score, id, firstSentAt, sentAt, servedBy, "submit " + submit.status);
      }
      var play = new Play(user, challenge, score, id, firstSentAt, sentAt, servedBy, "accepted");
      accepted.add(play);
      return play;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (id != -1) {
        // the submit was sent: it may have committed before the connection broke
        uncertain.add(id);
      }
      return new Play(user, challenge, score, id, firstSentAt, sentAt, servedBy, e.toString());
    }
  }

  /**
   * Waits until no attempt is left 'submitted' (a task lost at the kill is found by the recovery
   * sweep after its 3 s grace period), then checks every accepted one was processed.
   */
  private static void awaitAllProcessed() throws Exception {
    var deadline = Instant.now().plusSeconds(30);
    while (true) {
      long pending = count("SELECT count(*) FROM attempts WHERE status = 'submitted'");
      if (pending == 0) {
        break;
      }
      assertThat(Instant.now())
          .as("%d attempts still submitted; workers:%n%s", pending, workerLogs())
          .isBefore(deadline);
      Thread.sleep(100);
    }
    var ids = accepted.stream().map(p -> p.attemptId).toList();
    try (var db = db();
        var st =
            db.prepareStatement(
                "SELECT count(*) FROM attempts WHERE id = ANY(?) AND status IN ('passed', 'failed')"
                    + " AND processed_at IS NOT NULL")) {
      st.setArray(1, db.createArrayOf("bigint", ids.toArray()));
      try (var rs = st.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("accepted submissions processed").isEqualTo(ids.size());
      }
    }
  }

  /**
   * XP is what the rules say whatever instance or worker handled what: per user and challenge, the
   * best score's worth (later tries only top up). Read back through the balancer and on the board.
   */
  private static void assertXpExact() throws Exception {
    var best = new HashMap<String, Map<Long, Integer>>();
    for (var play : accepted) {
      best.computeIfAbsent(play.user, u -> new HashMap<>())
          .merge(play.challenge, worth(play.challenge, play.score), Math::max);
    }
    // a submission in flight at the kill may have committed; if it did, it counts like any other
    for (var id : uncertain) {
      try (var db = db();
          var st =
              db.prepareStatement(
                  "SELECT u.username, a.challenge_id, a.score, a.status FROM attempts a"
                      + " JOIN users u ON u.id = a.user_id WHERE a.id = ?")) {
        st.setLong(1, id);
        try (var rs = st.executeQuery()) {
          assertThat(rs.next()).isTrue();
          var status = rs.getString("status");
          assertThat(status).as("attempt %d in flight at the kill", id).isNotEqualTo("submitted");
          if (!status.equals("started")) {
            best.computeIfAbsent(rs.getString("username"), u -> new HashMap<>())
                .merge(
                    rs.getLong("challenge_id"),
                    worth(rs.getLong("challenge_id"), rs.getInt("score")),
                    Math::max);
          }
        }
      }
    }
    for (var player : players.entrySet()) {
      long expected =
          best.getOrDefault(player.getKey(), Map.of()).values().stream()
              .mapToLong(Integer::longValue)
              .sum();
      var progress = call("GET", "/users/me/progress", null, player.getValue().access, null);
      assertThat(progress.status).isEqualTo(200);
      assertThat(progress.body.get("total_xp").asLong())
          .as("%s's XP", player.getKey())
          .isEqualTo(expected);
      long paid =
          count(
              "SELECT coalesce(sum(xp_awarded), 0) FROM attempts a JOIN users u ON u.id = a.user_id"
                  + " WHERE u.username = '"
                  + player.getKey()
                  + "'");
      assertThat(paid).as("%s's XP paid per attempt", player.getKey()).isEqualTo(expected);
    }
    // the board, fed by both workers, agrees with the database
    awaitBoardAgrees();
  }

  private static void awaitBoardAgrees() throws Exception {
    var deadline = Instant.now().plusSeconds(15);
    while (true) {
      var board = call("GET", "/leaderboard?limit=50", null, null, null);
      assertThat(board.status).isEqualTo(200);
      var onBoard = new HashMap<String, Long>();
      board.body.forEach(
          row -> onBoard.put(row.get("username").asText(), row.get("total_xp").asLong()));
      var inDb = new HashMap<String, Long>();
      for (var name : players.keySet()) {
        inDb.put(name, count("SELECT total_xp FROM users WHERE username = '" + name + "'"));
      }
      if (onBoard.entrySet().containsAll(inDb.entrySet())) {
        return;
      }
      assertThat(Instant.now()).as("leaderboard %s, database %s", onBoard, inDb).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static int worth(long challenge, int score) {
    return challenges.get(challenge) * score / 100;
  }

  // --- processes and stores

  /**
   * The workers count an award just after its commit, so the counters may trail the database by a
   * moment; they must reach the number of processed attempts and never pass it (a second award of
   * one attempt would).
   */
  private static List<Long> awaitProcessedCounters(long expected) throws Exception {
    var deadline = Instant.now().plusSeconds(10);
    while (true) {
      var perWorker = processedPerWorker();
      long sum = perWorker.stream().mapToLong(Long::longValue).sum();
      assertThat(sum)
          .as("awards counted by the workers %s: each attempt processed once", perWorker)
          .isLessThanOrEqualTo(expected);
      if (sum == expected) {
        return perWorker;
      }
      assertThat(Instant.now())
          .as("workers counted %s awards, expected %d", perWorker, expected)
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static List<Long> processedPerWorker() throws Exception {
    var counts = new ArrayList<Long>();
    for (int i = 0; i < workers.size(); i++) {
      var matcher = PROCESSED.matcher(awaitMetrics(i));
      assertThat(matcher.find()).as("worker %d exposes its award counter", i + 1).isTrue();
      counts.add((long) Double.parseDouble(matcher.group(1)));
    }
    return counts;
  }

  private static String awaitMetrics(int worker) throws Exception {
    var deadline = Instant.now().plusSeconds(60);
    var uri = URI.create("http://127.0.0.1:" + workerMetricsPorts.get(worker) + "/metrics");
    while (true) {
      var process = workers.get(worker);
      assertThat(process.alive()).as("worker exited:%n%s", process.output()).isTrue();
      try {
        var response =
            HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException notYet) {
        // still starting
      }
      assertThat(Instant.now())
          .as("worker metrics not up:%n%s", process.output())
          .isBefore(deadline);
      Thread.sleep(200);
    }
  }

  private static void awaitDirectlyHealthy(String name) throws Exception {
    var server = servers.get(name);
    var uri = URI.create("http://127.0.0.1:" + serverPorts.get(name) + "/health");
    var deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      assertThat(server.alive()).as("%s exited:%n%s", name, server.output()).isTrue();
      try {
        var response =
            HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " not healthy within 90 s:\n" + server.output());
  }

  /** haproxy marks a backend up after two passed checks; a pinned request then reaches it. */
  private static void awaitServedThroughBalancer(String name) throws Exception {
    var deadline = Instant.now().plusSeconds(30);
    while (true) {
      assertThat(haproxy.alive()).as("haproxy exited:%n%s", haproxy.output()).isTrue();
      try {
        var reply = call("GET", "/health", null, null, name);
        if (reply.status == 200 && name.equals(reply.servedBy)) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      assertThat(Instant.now())
          .as("haproxy never served from %s:%n%s", name, haproxy.output())
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static String workerLogs() {
    var out = new StringBuilder();
    for (var w : workers) {
      var log = w.output();
      out.append(log, Math.max(0, log.length() - 4000), log.length()).append("\n---\n");
    }
    return out.toString();
  }

  private static java.sql.Connection db() throws SQLException {
    return DriverManager.getConnection(stores.dbUrl(), stores.dbUser(), stores.dbPassword());
  }

  private static long count(String sql) throws SQLException {
    try (var db = db();
        var st = db.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long processedAttempts() throws SQLException {
    return count("SELECT count(*) FROM attempts WHERE status IN ('passed', 'failed')");
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  // --- HTTP through the balancer

  private record Tokens(String access, String refresh) {}

  private record Reply(int status, JsonNode body, String servedBy, String retryAfter) {}

  private record Play(
      String user,
      long challenge,
      int score,
      long attemptId,
      Instant firstSentAt,
      Instant sentAt,
      List<String> servedBy,
      String outcome) {}

  private static Map<String, Object> adminCredentials() {
    return Map.of("username", "admin", "password", ADMIN_PASSWORD);
  }

  private static Tokens tokens(Reply reply) {
    assertThat(reply.status).as(reply.body.toString()).isEqualTo(200);
    return new Tokens(
        reply.body.get("access_token").asText(), reply.body.get("refresh_token").asText());
  }

  /**
   * @param pin the backend that must serve the request, or null to let the balancer choose
   */
  private static Reply call(String method, String path, Object body, String token, String pin)
      throws IOException, InterruptedException {
    var uri = URI.create(balancer + (path.equals("/health") ? path : "/api/v1" + path));
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (pin != null) {
      request.header(HaproxyProcess.PIN_HEADER, pin);
    }
    var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    var text = response.body();
    JsonNode json;
    try {
      json = text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
    } catch (IOException notJson) {
      // haproxy's own error pages are HTML
      json = JSON.getNodeFactory().textNode(text);
    }
    return new Reply(
        response.statusCode(),
        json,
        response.headers().firstValue(HaproxyProcess.SERVED_BY_HEADER).orElse(null),
        response.headers().firstValue("Retry-After").orElse(null));
  }
}
