package io.skillquest.server.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Idempotency-Key on starting and submitting attempts, with the worker awarding beside it. */
class IdempotencyTest {
  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  static long challenge;

  @BeforeAll
  static void start() {
    challenge = Fixtures.publishedChallenge(server, 300);
  }

  static TestServer.Response post(String path, Object body, String token, String key) {
    var headers = new LinkedHashMap<String, String>();
    headers.put("Authorization", "Bearer " + token);
    headers.put("Content-Type", "application/json");
    if (key != null) {
      headers.put("Idempotency-Key", key);
    }
    return server.send(
        "POST",
        TestServer.API + path,
        HttpRequest.BodyPublishers.ofString(TestServer.toJson(body)),
        headers);
  }

  static long attemptsOf(long userId) {
    return server
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM attempts WHERE user_id = :u")
                    .bind("u", userId)
                    .mapTo(long.class)
                    .one());
  }

  @Test
  void aRepeatReplaysTheStoredResponseWithoutASecondEffect() {
    var ada = server.registerAndLogin("ada");
    var first = post("/attempts", Map.of("challenge_id", challenge), ada.access(), "start-1");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isNull();

    var again = post("/attempts", Map.of("challenge_id", challenge), ada.access(), "start-1");
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(attemptsOf(ada.userId())).isEqualTo(1);

    var other = post("/attempts", Map.of("challenge_id", challenge + 1), ada.access(), "start-1");
    assertThat(other.status()).as(other.toString()).isEqualTo(422);
    assertThat(other.header("Content-Type")).startsWith("application/problem+json");

    var unkeyed = post("/attempts", Map.of("challenge_id", challenge), ada.access(), null);
    assertThat(unkeyed.status()).isEqualTo(201);
    assertThat(attemptsOf(ada.userId())).as("no key, no deduplication").isEqualTo(2);
  }

  @Test
  void twoCallersMayUseTheSameKey() {
    var bo = server.registerAndLogin("bob");
    var cy = server.registerAndLogin("cyd");
    var a = post("/attempts", Map.of("challenge_id", challenge), bo.access(), "shared-key");
    var b = post("/attempts", Map.of("challenge_id", challenge), cy.access(), "shared-key");
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).isEqualTo(201);
    assertThat(b.header("Idempotent-Replayed")).isNull();
    assertThat(b.get("user_id").asLong()).isEqualTo(cy.userId());
    assertThat(b.get("id").asLong()).isNotEqualTo(a.get("id").asLong());
  }

  @Test
  void keysMustBeOneTo255VisibleAsciiCharacters() {
    var di = server.registerAndLogin("dia");
    for (var bad : List.of("", "a".repeat(256), "with space", "tab\tkey")) {
      var r = post("/attempts", Map.of("challenge_id", challenge), di.access(), bad);
      assertThat(r.status()).as("'" + bad + "': " + r).isEqualTo(400);
      assertThat(r.get("errors").has("Idempotency-Key")).as(r.toString()).isTrue();
    }
    assertThat(attemptsOf(di.userId())).isZero();
    var longest =
        post("/attempts", Map.of("challenge_id", challenge), di.access(), "~".repeat(255));
    assertThat(longest.status()).as(longest.toString()).isEqualTo(201);
  }

  @Test
  void aRefusedRequestLeavesItsKeyFreeForACorrectedRetry() {
    var ed = server.registerAndLogin("eddie");
    long id =
        server.post("/attempts", Map.of("challenge_id", challenge), ed.access()).get("id").asLong();
    var bad = post("/attempts/" + id + "/submit", Map.of("score", 500), ed.access(), "submit-1");
    assertThat(bad.status()).isEqualTo(400);
    var good = post("/attempts/" + id + "/submit", Map.of("score", 50), ed.access(), "submit-1");
    assertThat(good.status()).as(good.toString()).isEqualTo(202);
    assertThat(good.header("Idempotent-Replayed")).isNull();
  }

  @Test
  void aRepeatWhileTheFirstIsStillRunningIsAConflict() throws Exception {
    var flo = server.registerAndLogin("flo");
    long id =
        server
            .post("/attempts", Map.of("challenge_id", challenge), flo.access())
            .get("id")
            .asLong();
    var body = Map.of("score", 70);
    // a claim exactly as a request still in progress on another instance leaves it
    var digest = MessageDigest.getInstance("SHA-256");
    digest.update(
        ("POST /api/v1/attempts/" + id + "/submit\n" + TestServer.toJson(body))
            .getBytes(StandardCharsets.UTF_8));
    String fingerprint = HexFormat.of().formatHex(digest.digest());
    server
        .redis()
        .setex(
            server.keys().prefix() + "idempotency:" + flo.userId() + ":in-flight",
            60,
            "{\"fingerprint\":\""
                + fingerprint
                + "\",\"status\":null,\"body\":null,\"location\":null}");

    var r = post("/attempts/" + id + "/submit", body, flo.access(), "in-flight");
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    var different =
        post("/attempts/" + id + "/submit", Map.of("score", 71), flo.access(), "in-flight");
    assertThat(different.status()).as(different.toString()).isEqualTo(422);
    assertThat(server.get("/attempts/" + id, flo.access()).get("status").asText())
        .isEqualTo("started");
  }

  @Test
  void twentyParallelDuplicatesOfASubmitHaveOneEffect() throws Exception {
    var gus = server.registerAndLogin("gus");
    long id =
        server
            .post("/attempts", Map.of("challenge_id", challenge), gus.access())
            .get("id")
            .asLong();
    int n = 20;
    var pool = Executors.newFixedThreadPool(n);
    var go = new CountDownLatch(1);
    var futures = new ArrayList<Future<TestServer.Response>>();
    try {
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return post(
                      "/attempts/" + id + "/submit", Map.of("score", 90), gus.access(), "dup-20");
                }));
      }
      go.countDown();
      int processed = 0;
      int replayed = 0;
      int conflicts = 0;
      for (var f : futures) {
        var r = f.get();
        if (r.status() == 409) {
          conflicts++;
        } else {
          assertThat(r.status()).as(r.toString()).isEqualTo(202);
          assertThat(r.get("id").asLong()).isEqualTo(id);
          assertThat(r.get("score").asInt()).isEqualTo(90);
          if ("true".equals(r.header("Idempotent-Replayed"))) {
            replayed++;
          } else {
            processed++;
          }
        }
      }
      assertThat(processed).as("exactly one request took effect").isEqualTo(1);
      assertThat(processed + replayed + conflicts).isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }

    TestServer.await(
        "the attempt is awarded",
        Duration.ofSeconds(20),
        () -> server.get("/attempts/" + id, gus.access()).get("status").asText().equals("passed"));
    var progress = server.get("/users/me/progress", gus.access());
    assertThat(progress.get("total_xp").asLong()).as("one award: 300 * 90 / 100").isEqualTo(270);
    assertThat(server.get("/attempts/" + id, gus.access()).get("xp_awarded").asInt())
        .isEqualTo(270);
    assertThat(attemptsOf(gus.userId())).isEqualTo(1);

    var later = post("/attempts/" + id + "/submit", Map.of("score", 90), gus.access(), "dup-20");
    assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(later.get("status").asText())
        .as("the stored response, as first sent")
        .isEqualTo("submitted");
  }
}
