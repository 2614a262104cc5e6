package io.skillquest.server.grader;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A grader scores attempts and records results; the worker awards them as any submit. */
class GraderRoutesTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  static String grader;
  static long external;
  static long selfScored;

  @BeforeAll
  static void start() {
    grader = newGrader("ci");
    external = externalChallenge(200);
    selfScored = Fixtures.publishedChallenge(server, 100);
  }

  static String newGrader(String name) {
    var r =
        server.post(
            "/admin/clients",
            Map.of("name", name, "scopes", List.of("grade")),
            server.adminToken());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("secret").asText();
  }

  static long externalChallenge(int xp) {
    var r =
        server.post(
            "/challenges",
            Fixtures.json(
                "title",
                "graded " + xp,
                "xp",
                xp,
                "difficulty",
                "medium",
                "published",
                true,
                "scoring",
                "external"),
            server.adminToken());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
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
        HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : TestServer.toJson(body)),
        headers);
  }

  static long started(TestServer.Tokens who, long challenge) {
    var r = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
  }

  static long totalXp(TestServer.Tokens who) {
    return server.get("/users/me/progress", who.access()).get("total_xp").asLong();
  }

  static void awaitXp(TestServer.Tokens who, long xp) {
    TestServer.await("total XP " + xp, WAIT, () -> totalXp(who) == xp);
  }

  static long count(String sql, Object... args) {
    return server
        .jdbi()
        .withHandle(
            h -> {
              var q = h.createQuery(sql);
              for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
              }
              return q.mapTo(long.class).one();
            });
  }

  @Test
  void aGraderScoresAStartedAttemptAndTheWorkerPaysIt() {
    var ann = server.registerAndLogin("ann");
    long id = started(ann, external);
    var own = server.post("/attempts/" + id + "/submit", Map.of("score", 100), ann.access());
    assertThat(own.status()).as("the owner may not score it").isEqualTo(403);

    var scored = post("/grader/attempts/" + id + "/score", Map.of("score", 75), grader, null);
    assertThat(scored.status()).as(scored.toString()).isEqualTo(202);
    assertThat(scored.get("id").asLong()).isEqualTo(id);
    assertThat(scored.get("status").asText()).isEqualTo("submitted");
    assertThat(scored.get("score").asInt()).isEqualTo(75);
    awaitXp(ann, 150);
    var attempt = server.get("/attempts/" + id, ann.access());
    assertThat(attempt.get("status").asText()).isEqualTo("passed");
    assertThat(attempt.get("xp_awarded").asInt()).isEqualTo(150);

    var again = post("/grader/attempts/" + id + "/score", Map.of("score", 100), grader, null);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.get("detail").asText()).contains("already been processed");
    assertThat(totalXp(ann)).isEqualTo(150);
  }

  @Test
  void onlyAttemptsOfExternalChallengesTakeAGradersScore() {
    var bea = server.registerAndLogin("bea");
    long id = started(bea, selfScored);
    var r = post("/grader/attempts/" + id + "/score", Map.of("score", 90), grader, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.get("detail").asText()).contains("not by a grader");
    assertThat(server.get("/attempts/" + id, bea.access()).get("status").asText())
        .isEqualTo("started");

    assertThat(post("/grader/attempts/99999999/score", Map.of("score", 1), grader, null).status())
        .isEqualTo(404);
    assertThat(post("/grader/attempts/abc/score", Map.of("score", 1), grader, null).status())
        .isEqualTo(400);
    long ext = started(bea, external);
    for (var bad : List.of("{}", "{\"score\":101}", "{\"score\":-1}", "{\"score\":\"50\"}")) {
      var refused = post("/grader/attempts/" + ext + "/score", bad, grader, null);
      assertThat(refused.status()).as(bad + " " + refused).isEqualTo(400);
      assertThat(refused.text()).contains("score");
    }
    assertThat(server.get("/attempts/" + ext, bea.access()).get("status").asText())
        .isEqualTo("started");
  }

  @Test
  void aResultIsRecordedInOneCallByUserIdOrUsername() {
    var cal = server.registerAndLogin("cal");
    var byId =
        post(
            "/grader/results",
            Map.of("user_id", cal.userId(), "challenge_id", external, "score", 50),
            grader,
            null);
    assertThat(byId.status()).as(byId.toString()).isEqualTo(202);
    assertThat(byId.get("user_id").asLong()).isEqualTo(cal.userId());
    assertThat(byId.get("challenge_id").asLong()).isEqualTo(external);
    assertThat(byId.get("status").asText()).isEqualTo("submitted");
    awaitXp(cal, 100);

    long other = externalChallenge(40);
    var byName =
        post(
            "/grader/results",
            Map.of("username", "CAL", "challenge_id", other, "score", 100),
            grader,
            null);
    assertThat(byName.status()).as(byName.toString()).isEqualTo(202);
    awaitXp(cal, 140);
    assertThat(server.get("/attempts", cal.access()).get("total").asLong()).isEqualTo(2);
  }

  @Test
  void aLateResultCountsForStreaksOnTheDayItOccurred() {
    var dot = server.registerAndLogin("dot");
    var yesterday = Instant.now().minus(1, ChronoUnit.DAYS);
    var r =
        post(
            "/grader/results",
            Map.of(
                "user_id",
                dot.userId(),
                "challenge_id",
                external,
                "score",
                100,
                "occurred_at",
                yesterday.toString()),
            grader,
            null);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(Instant.parse(r.get("started_at").asText()))
        .isCloseTo(yesterday, org.assertj.core.api.Assertions.within(1, ChronoUnit.MILLIS));
    long today = externalChallenge(10);
    assertThat(
            post(
                    "/grader/results",
                    Map.of("user_id", dot.userId(), "challenge_id", today, "score", 100),
                    grader,
                    null)
                .status())
        .isEqualTo(202);
    awaitXp(dot, 210);
    var progress = server.get("/users/me/progress", dot.access());
    assertThat(progress.get("current_streak").asInt()).as(progress.toString()).isEqualTo(2);
    assertThat(progress.get("longest_streak").asInt()).isEqualTo(2);
    assertThat(
            count(
                "SELECT count(*) FROM attempts WHERE user_id = ? AND occurred_at IS NOT NULL",
                dot.userId()))
        .isOne();
  }

  @Test
  void occurredAtMustBeWithinTheLastSevenDays() {
    var eve = server.registerAndLogin("eve");
    var now = Instant.now();
    Map<String, String> refused =
        Map.of(
            now.minus(Duration.ofDays(7).plusMinutes(5)).toString(),
            "7 days",
            now.plus(Duration.ofHours(1)).toString(),
            "future",
            "yesterday",
            "RFC 3339",
            "2026-11-30",
            "RFC 3339");
    refused.forEach(
        (at, reason) -> {
          var r =
              post(
                  "/grader/results",
                  Map.of(
                      "user_id",
                      eve.userId(),
                      "challenge_id",
                      external,
                      "score",
                      1,
                      "occurred_at",
                      at),
                  grader,
                  null);
          assertThat(r.status()).as(at + " " + r).isEqualTo(400);
          assertThat(r.get("errors").path("occurred_at").asText()).contains(reason);
        });
    assertThat(count("SELECT count(*) FROM attempts WHERE user_id = ?", eve.userId())).isZero();
    for (var ok :
        List.of(
            now.minus(Duration.ofDays(7).minusMinutes(5)).toString(),
            now.plusSeconds(30).toString(),
            now.atOffset(java.time.ZoneOffset.ofHours(2)).toString())) {
      var r =
          post(
              "/grader/results",
              Map.of(
                  "user_id", eve.userId(), "challenge_id", external, "score", 1, "occurred_at", ok),
              grader,
              null);
      assertThat(r.status()).as(ok + " " + r).isEqualTo(202);
    }
  }

  @Test
  void badResultsNameTheirFieldAndChangeNothing() {
    var fay = server.registerAndLogin("fay");
    Map<String, Object> base =
        Map.of("user_id", fay.userId(), "challenge_id", external, "score", 10);
    record Case(Object body, int status, String field) {}
    var both = new LinkedHashMap<String, Object>(base);
    both.put("username", "fay");
    var cases =
        List.of(
            new Case(Map.of("challenge_id", external, "score", 10), 400, "user_id"),
            new Case(both, 400, "user_id"),
            new Case(Map.of("user_id", fay.userId(), "score", 10), 400, "challenge_id"),
            new Case(Map.of("user_id", fay.userId(), "challenge_id", external), 400, "score"),
            new Case(
                Map.of("user_id", fay.userId(), "challenge_id", external, "score", 101),
                400,
                "score"),
            new Case(Map.of("user_id", 99999999, "challenge_id", external, "score", 10), 404, null),
            new Case(
                Map.of("username", "nobody-here", "challenge_id", external, "score", 10),
                404,
                null),
            new Case(
                Map.of("user_id", fay.userId(), "challenge_id", 99999999, "score", 10), 404, null),
            new Case(
                Map.of("user_id", fay.userId(), "challenge_id", selfScored, "score", 10),
                409,
                null));
    for (var c : cases) {
      var r = post("/grader/results", c.body(), grader, null);
      assertThat(r.status()).as(c + " " + r).isEqualTo(c.status());
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      if (c.field() != null) {
        assertThat(r.get("errors").has(c.field())).as(c + " " + r).isTrue();
      }
    }
    assertThat(count("SELECT count(*) FROM attempts WHERE user_id = ?", fay.userId())).isZero();
  }

  @Test
  void aRepeatedResultIsReplayedAndADifferentBodyWithTheKeyIs422() {
    var gil = server.registerAndLogin("gil");
    var body = Map.of("user_id", gil.userId(), "challenge_id", external, "score", 80);
    var first = post("/grader/results", body, grader, "result-1");
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    var again = post("/grader/results", body, grader, "result-1");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(first.body());
    var different =
        post(
            "/grader/results",
            Map.of("user_id", gil.userId(), "challenge_id", external, "score", 81),
            grader,
            "result-1");
    assertThat(different.status()).as(different.toString()).isEqualTo(422);
    // keys are per client: another grader's "result-1" is its own request
    var otherGrader = newGrader("second");
    var theirs = post("/grader/results", body, otherGrader, "result-1");
    assertThat(theirs.status()).isEqualTo(202);
    assertThat(theirs.header("Idempotent-Replayed")).isNull();
    awaitXp(gil, 160);
    assertThat(count("SELECT count(*) FROM attempts WHERE user_id = ?", gil.userId())).isEqualTo(2);

    long id = started(gil, externalChallenge(100));
    var score = post("/grader/attempts/" + id + "/score", Map.of("score", 60), grader, "score-1");
    assertThat(score.status()).isEqualTo(202);
    var replay = post("/grader/attempts/" + id + "/score", Map.of("score", 60), grader, "score-1");
    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void twentyParallelDuplicatesOfAResultHaveOneEffectAndOneAward() throws Exception {
    var hal = server.registerAndLogin("hal");
    var body = Map.of("user_id", hal.userId(), "challenge_id", external, "score", 90);
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
                  return post("/grader/results", body, grader, "dup-result-20");
                }));
      }
      go.countDown();
      int processed = 0;
      int replayed = 0;
      int conflicts = 0;
      long attemptId = 0;
      for (var f : futures) {
        var r = f.get();
        if (r.status() == 409) {
          conflicts++;
          continue;
        }
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        if (attemptId == 0) {
          attemptId = r.get("id").asLong();
        }
        assertThat(r.get("id").asLong()).isEqualTo(attemptId);
        if ("true".equals(r.header("Idempotent-Replayed"))) {
          replayed++;
        } else {
          processed++;
        }
      }
      assertThat(processed).as("exactly one request took effect").isEqualTo(1);
      assertThat(processed + replayed + conflicts).isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }
    awaitXp(hal, 180);
    assertThat(count("SELECT count(*) FROM attempts WHERE user_id = ?", hal.userId())).isOne();
    assertThat(
            count(
                "SELECT sum(xp_awarded) FROM attempts WHERE user_id = ? AND status = 'passed'",
                hal.userId()))
        .isEqualTo(180);
    assertThat(count("SELECT total_xp FROM users WHERE id = ?", hal.userId())).isEqualTo(180);
  }
}
