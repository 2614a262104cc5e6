package io.skillquest.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole journey through HTTP only, on the packaged jars: the server jar and a separate worker
 * jar run as real processes against real PostgreSQL and Redis, exactly as they would under systemd.
 */
class JourneyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String ADMIN_PASSWORD = "e2e-admin-password-123";

  private static JarProcess server;
  private static JarProcess worker;
  private static String base;

  @BeforeAll
  static void startJars() throws Exception {
    StoreConfig stores = TestStores.fresh();
    int port = freePort();
    base = "http://127.0.0.1:" + port;
    var env = new HashMap<String, String>();
    env.put("SKILLQUEST_DB_URL", stores.dbUrl());
    env.put("SKILLQUEST_DB_USER", stores.dbUser());
    env.put("SKILLQUEST_DB_PASSWORD", stores.dbPassword());
    env.put("SKILLQUEST_REDIS_URL", stores.redisUrl());
    env.put("SKILLQUEST_REDIS_PREFIX", stores.redisPrefix());
    env.put("SKILLQUEST_JWT_SECRET", "e2e-secret-that-is-long-enough-for-hs256-0123456789");
    env.put("SKILLQUEST_ADMIN_USERNAME", "admin");
    env.put("SKILLQUEST_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SKILLQUEST_BCRYPT_COST", "4");
    env.put("SKILLQUEST_PORT", Integer.toString(port));
    env.put("SKILLQUEST_WORKER_METRICS_PORT", Integer.toString(freePort()));
    env.put("SKILLQUEST_MANAGEMENT_PORT", Integer.toString(freePort()));
    env.put("SKILLQUEST_WORKER_GRACE_SECONDS", "5");

    var logs = Path.of("target", "e2e-logs");
    Files.createDirectories(logs);
    server =
        JarProcess.start(
            Path.of(System.getProperty("skillquest.server.jar", "target/skillquest-server.jar")),
            env,
            logs.resolve("server.log"));
    awaitHealthy();
    worker =
        JarProcess.start(
            Path.of(
                System.getProperty(
                    "skillquest.worker.jar", "../skillquest-worker/target/skillquest-worker.jar")),
            env,
            logs.resolve("worker.log"));
  }

  @AfterAll
  static void stopJars() throws Exception {
    if (worker != null) {
      assertThat(worker.stop()).as("worker exit code after SIGTERM").isIn(0, 143);
    }
    if (server != null) {
      assertThat(server.stop()).as("server exit code after SIGTERM").isIn(0, 143);
    }
  }

  @Test
  void registerAttemptAwardRankRefreshAndLogOut() throws Exception {
    // An admin sets up the game.
    var admin = login("admin", ADMIN_PASSWORD);
    long javaBasics =
        create(
            admin,
            "/challenges",
            Map.of(
                "title",
                "Java basics",
                "xp",
                100,
                "difficulty",
                "easy",
                "tags",
                List.of("java"),
                "published",
                true));
    long streams =
        create(
            admin,
            "/challenges",
            Map.of(
                "title",
                "Streams",
                "xp",
                300,
                "difficulty",
                "medium",
                "tags",
                List.of("java"),
                "published",
                true));
    long hidden =
        create(
            admin,
            "/challenges",
            Map.of("title", "Draft", "xp", 50, "difficulty", "hard", "published", false));
    create(
        admin,
        "/badges",
        Map.of(
            "name",
            "First pass",
            "description",
            "Pass any challenge",
            "condition",
            Map.of("type", "attempt_count", "count", 1, "status", "passed")));
    create(
        admin,
        "/badges",
        Map.of(
            "name",
            "Centurion",
            "description",
            "100 XP",
            "condition",
            Map.of("type", "xp", "threshold", 100)));
    create(
        admin,
        "/badges",
        Map.of(
            "name",
            "Java fan",
            "description",
            "Two java passes",
            "condition",
            Map.of(
                "type",
                "all_of",
                "conditions",
                List.of(
                    Map.of("type", "tag_passed", "tag", "java", "count", 2),
                    Map.of("type", "level", "level", 3)))));

    // Players register and log in.
    for (var name : List.of("alice", "bob", "carol")) {
      var created =
          call(
              "POST",
              "/auth/register",
              Map.of(
                  "username",
                  name,
                  "email",
                  name + "@example.com",
                  "password",
                  "journey-" + name.length() + "-secret"),
              null);
      assertThat(created.status).as("register %s", name).isEqualTo(201);
      assertThat(created.body.get("username").asText()).isEqualTo(name);
    }
    var alice = login("alice", "journey-5-secret");
    var bob = login("bob", "journey-3-secret");
    var carol = login("carol", "journey-5-secret");

    // Unpublished challenges are invisible to players.
    assertThat(call("GET", "/challenges/" + hidden, null, alice.access).status).isEqualTo(404);
    var listed = call("GET", "/challenges?tag=java", null, alice.access);
    assertThat(listed.status).isEqualTo(200);
    assertThat(listed.body.get("items")).hasSize(2);

    // Everyone plays at once.
    var plays =
        List.<Callable<Void>>of(
            () -> play(alice, javaBasics, 100),
            () -> play(alice, streams, 100),
            () -> {
              play(bob, javaBasics, 80);
              play(bob, javaBasics, 100);
              play(bob, javaBasics, 90);
              return null;
            },
            () -> play(carol, javaBasics, 50));
    var pool = Executors.newFixedThreadPool(plays.size());
    try {
      for (var f : pool.invokeAll(plays)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    // Awards arrive: XP never exceeds a challenge's worth, levels and badges follow.
    var aliceProgress = awaitProcessed(alice, 2);
    assertThat(aliceProgress.get("total_xp").asLong()).isEqualTo(400);
    assertThat(aliceProgress.get("level").asInt()).isEqualTo(3);
    assertThat(aliceProgress.get("next_level_xp").asLong()).isEqualTo(900);
    assertThat(aliceProgress.get("xp_to_next_level").asLong()).isEqualTo(500);
    assertThat(aliceProgress.get("attempts").get("passed").asInt()).isEqualTo(2);
    assertThat(badgeNames(alice)).containsExactlyInAnyOrder("First pass", "Centurion", "Java fan");

    var bobProgress = awaitProcessed(bob, 3);
    assertThat(bobProgress.get("total_xp").asLong())
        .as("80, then +20, then nothing")
        .isEqualTo(100);
    assertThat(bobProgress.get("level").asInt()).isEqualTo(2);
    assertThat(badgeNames(bob)).containsExactlyInAnyOrder("First pass", "Centurion");

    var carolProgress = awaitProcessed(carol, 1);
    assertThat(carolProgress.get("total_xp").asLong()).isEqualTo(50);
    assertThat(carolProgress.get("attempts").get("failed").asInt()).isEqualTo(1);
    assertThat(badgeNames(carol)).isEmpty();

    // The leaderboard orders them, with distinct ranks; the admin (0 XP) comes last.
    var board = call("GET", "/leaderboard?limit=10", null, null);
    assertThat(board.status).isEqualTo(200);
    var names = new ArrayList<String>();
    for (var row : board.body) {
      names.add(row.get("username").asText());
      assertThat(row.get("rank").asInt()).isEqualTo(names.size());
    }
    assertThat(names).containsExactly("alice", "bob", "carol", "admin");
    var me = call("GET", "/leaderboard/me?around=1", null, bob.access);
    assertThat(me.status).isEqualTo(200);
    assertThat(me.body.get("rank").asInt()).isEqualTo(2);
    assertThat(bobProgress.get("rank").asInt()).isEqualTo(2);

    // Refresh rotates; a spent refresh token is refused and burns its family.
    var refreshed = call("POST", "/auth/refresh", Map.of("refresh_token", bob.refresh), null);
    assertThat(refreshed.status).isEqualTo(200);
    var rotated =
        new Tokens(
            refreshed.body.get("access_token").asText(),
            refreshed.body.get("refresh_token").asText());
    assertThat(call("GET", "/auth/me", null, rotated.access).body.get("username").asText())
        .isEqualTo("bob");
    assertThat(call("POST", "/auth/refresh", Map.of("refresh_token", bob.refresh), null).status)
        .isEqualTo(401);
    assertThat(call("POST", "/auth/refresh", Map.of("refresh_token", rotated.refresh), null).status)
        .as("reuse revoked the whole family")
        .isEqualTo(401);

    // Logout: the access token and its refresh token stop working.
    assertThat(call("POST", "/auth/logout", null, alice.access).status).isEqualTo(204);
    assertThat(call("GET", "/auth/me", null, alice.access).status).isEqualTo(401);
    assertThat(call("POST", "/auth/refresh", Map.of("refresh_token", alice.refresh), null).status)
        .isEqualTo(401);

    assertThat(server.alive()).as(server.output()).isTrue();
    assertThat(worker.alive()).as(worker.output()).isTrue();
  }

  private record Tokens(String access, String refresh) {}

  private record Reply(int status, JsonNode body) {}

  private static Void play(Tokens who, long challengeId, int score) throws Exception {
    var started = call("POST", "/attempts", Map.of("challenge_id", challengeId), who.access);
    assertThat(started.status).as(started.body.toString()).isEqualTo(201);
    assertThat(started.body.get("status").asText()).isEqualTo("started");
    var submitted =
        call(
            "POST",
            "/attempts/" + started.body.get("id").asLong() + "/submit",
            Map.of("score", score),
            who.access);
    assertThat(submitted.status).as(submitted.body.toString()).isEqualTo(202);
    assertThat(submitted.body.get("status").asText()).isEqualTo("submitted");
    return null;
  }

  private static JsonNode awaitProcessed(Tokens who, int expected) throws Exception {
    var deadline = Instant.now().plusSeconds(30);
    while (true) {
      var progress = call("GET", "/users/me/progress", null, who.access);
      assertThat(progress.status).isEqualTo(200);
      var attempts = progress.body.get("attempts");
      if (attempts.get("passed").asInt() + attempts.get("failed").asInt() == expected) {
        return progress.body;
      }
      assertThat(Instant.now())
          .as("awards did not arrive; worker log:%n%s", worker.output())
          .isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static List<String> badgeNames(Tokens who) throws Exception {
    var reply = call("GET", "/users/me/badges", null, who.access);
    assertThat(reply.status).isEqualTo(200);
    var names = new ArrayList<String>();
    reply.body.forEach(
        b -> {
          assertThat(b.get("awarded_at").isNull()).isFalse();
          names.add(b.get("name").asText());
        });
    return names;
  }

  private static Tokens login(String username, String password) throws Exception {
    var reply =
        call("POST", "/auth/login", Map.of("username", username, "password", password), null);
    assertThat(reply.status).as("login %s: %s", username, reply.body).isEqualTo(200);
    assertThat(reply.body.get("token_type").asText()).isEqualTo("bearer");
    return new Tokens(
        reply.body.get("access_token").asText(), reply.body.get("refresh_token").asText());
  }

  private static long create(Tokens admin, String path, Map<String, Object> body) throws Exception {
    var reply = call("POST", path, body, admin.access);
    assertThat(reply.status).as("POST %s: %s", path, reply.body).isEqualTo(201);
    return reply.body.get("id").asLong();
  }

  private static Reply call(String method, String path, Object body, String token)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
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
    var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    var text = response.body();
    return new Reply(response.statusCode(), text.isBlank() ? JSON.nullNode() : JSON.readTree(text));
  }

  private static void awaitHealthy() throws Exception {
    var deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      assertThat(server.alive()).as("server exited:%n%s", server.output()).isTrue();
      try {
        var response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("server not healthy within 90 s:\n" + server.output());
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
