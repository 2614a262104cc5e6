package io.skillquest.server.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Submit through the API with the embedded worker running: XP, level, badges and rank follow. */
class AwardFlowTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  @BeforeAll
  static void start() {}

  private static JsonNode attemptOnce(TestServer.Tokens who, long challenge, int score) {
    var started = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    long id = started.get("id").asLong();
    var submitted =
        server.post("/attempts/" + id + "/submit", Map.of("score", score), who.access());
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    TestServer.await(
        "attempt " + id + " processed",
        WAIT,
        () -> {
          var status = server.get("/attempts/" + id, who.access()).get("status").asText();
          return status.equals("passed") || status.equals("failed");
        });
    return server.get("/attempts/" + id, who.access()).body();
  }

  @Test
  void aPassedAttemptPaysXpRaisesTheLevelAwardsBadgesAndRanksTheUser() {
    var badge =
        server.post(
            "/badges",
            Map.of(
                "name",
                "First pass",
                "description",
                "pass anything",
                "condition",
                Map.of("type", "attempt_count", "count", 1, "status", "passed")),
            server.adminToken());
    assertThat(badge.status()).as(badge.toString()).isEqualTo(201);
    long challenge = Fixtures.publishedChallenge(server, 200);
    var dana = server.registerAndLogin("dana");

    var attempt = attemptOnce(dana, challenge, 80);
    assertThat(attempt.path("status").asText()).isEqualTo("passed");
    assertThat(attempt.path("xp_awarded").asInt()).isEqualTo(160);
    assertThat(attempt.path("processed_at").isTextual()).isTrue();

    long badgeId = badge.get("id").asLong();
    TestServer.await("badge awarded", WAIT, () -> earned(dana, badgeId) != null);
    var earned = earned(dana, badgeId);
    assertThat(earned.path("name").asText()).isEqualTo("First pass");
    assertThat(earned.path("description").asText()).isEqualTo("pass anything");
    assertThat(earned.path("awarded_at").isTextual()).isTrue();

    var progress = server.get("/users/me/progress", dana.access());
    assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
    assertThat(progress.get("total_xp").asLong()).isEqualTo(160);
    assertThat(progress.get("level").asInt()).isEqualTo(2);
    assertThat(progress.get("next_level_xp").asLong()).isEqualTo(400);
    assertThat(progress.get("xp_to_next_level").asLong()).isEqualTo(240);
    assertThat(progress.get("current_streak").asInt()).isEqualTo(1);
    assertThat(progress.get("longest_streak").asInt()).isEqualTo(1);
    assertThat(progress.get("attempts").path("passed").asInt()).isEqualTo(1);
    assertThat(progress.get("badges").findValuesAsText("name")).contains("First pass");

    TestServer.await(
        "leaderboard updated", WAIT, () -> entry(dana).path("total_xp").asLong() == 160);
    var entry = entry(dana);
    assertThat(entry.path("username").asText()).isEqualTo("dana");
    assertThat(entry.path("level").asInt()).isEqualTo(2);
    long rank = entry.path("rank").asLong();
    var everyone =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM users WHERE total_xp > 160")
                        .mapTo(long.class)
                        .one());
    assertThat(rank).isEqualTo(everyone + 1);
    var me = server.get("/leaderboard/me", dana.access());
    assertThat(me.get("rank").asLong()).isEqualTo(rank);
    assertThat(me.get("total_xp").asLong()).isEqualTo(160);
    assertThat(server.get("/users/me/progress", dana.access()).get("rank").asLong())
        .isEqualTo(rank);
  }

  private static JsonNode earned(TestServer.Tokens who, long badgeId) {
    for (var b : server.get("/users/me/badges", who.access()).body()) {
      if (b.path("id").asLong() == badgeId) {
        return b;
      }
    }
    return null;
  }

  private static JsonNode entry(TestServer.Tokens who) {
    for (var e : server.get("/leaderboard?limit=100", null).body()) {
      if (e.path("user_id").asLong() == who.userId()) {
        return e;
      }
    }
    throw new AssertionError(who.username() + " is not on the leaderboard");
  }

  @Test
  void repeatingAChallengeNeverPaysMoreThanItsXp() {
    long challenge = Fixtures.publishedChallenge(server, 100);
    var erin = server.registerAndLogin("erin");

    assertThat(attemptOnce(erin, challenge, 70).path("xp_awarded").asInt()).isEqualTo(70);
    var better = attemptOnce(erin, challenge, 90);
    assertThat(better.path("status").asText()).isEqualTo("passed");
    assertThat(better.path("xp_awarded").asInt()).as("only the improvement").isEqualTo(20);
    var worse = attemptOnce(erin, challenge, 80);
    assertThat(worse.path("xp_awarded").asInt()).isZero();
    var failed = attemptOnce(erin, challenge, 59);
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("xp_awarded").asInt()).isZero();
    assertThat(attemptOnce(erin, challenge, 100).path("xp_awarded").asInt()).isEqualTo(10);
    assertThat(attemptOnce(erin, challenge, 100).path("xp_awarded").asInt()).isZero();

    var progress = server.get("/users/me/progress", erin.access());
    assertThat(progress.get("total_xp").asLong()).isEqualTo(100);
    assertThat(progress.get("attempts").path("passed").asInt()).isEqualTo(5);
    assertThat(progress.get("attempts").path("failed").asInt()).isEqualTo(1);
    var xps =
        StreamSupport.stream(
                server.get("/attempts", erin.access()).get("items").spliterator(), false)
            .map(a -> a.path("xp_awarded").asInt())
            .toList();
    assertThat(xps).containsExactly(0, 10, 0, 0, 20, 70);
    assertThat(xps.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
  }

  @Test
  void aScoreBelowThePassMarkFailsButStillEarnsItsShareOfXp() {
    // XP is floor(xp * score / 100) whatever the outcome; the pass mark decides only the
    // status
    long challenge = Fixtures.challenge(server, "strict", 500, 90, true, List.of());
    var fred = server.registerAndLogin("fred");
    var attempt = attemptOnce(fred, challenge, 89);
    assertThat(attempt.path("status").asText()).isEqualTo("failed");
    assertThat(attempt.path("xp_awarded").asInt()).isEqualTo(445);
    var progress = server.get("/users/me/progress", fred.access());
    assertThat(progress.get("attempts").path("failed").asInt()).isEqualTo(1);
    assertThat(progress.get("current_streak").asInt()).as("only passes make streaks").isZero();
    assertThat(attemptOnce(fred, challenge, 90).path("status").asText()).isEqualTo("passed");
  }

  @Test
  void aBadgeWhoseConditionChangesIsAwardedRetroactively() {
    var gus = server.registerAndLogin("gus");
    attemptOnce(gus, Fixtures.publishedChallenge(server, 50), 100);
    var badge =
        server.post(
            "/badges",
            Map.of(
                "name", "Out of reach", "condition", Map.of("type", "xp", "threshold", 1_000_000)),
            server.adminToken());
    assertThat(badge.status()).as(badge.toString()).isEqualTo(201);
    long id = badge.get("id").asLong();
    // the worker backfills the new badge (revision 1) and finds nobody
    TestServer.await("first backfill", WAIT, () -> backfilled(id) == 1);
    assertThat(server.get("/users/me/badges", gus.access()).toString())
        .doesNotContain("Out of reach");

    var lowered =
        server.patch(
            "/badges/" + id,
            Map.of("condition", Map.of("type", "xp", "threshold", 50)),
            server.adminToken());
    assertThat(lowered.status()).as(lowered.toString()).isEqualTo(200);
    TestServer.await("retroactive award", WAIT, () -> earned(gus, id) != null);
    assertThat(earned(gus, id).path("name").asText()).isEqualTo("Out of reach");
    // the pass awards user by user, then records the revision as done
    TestServer.await("second backfill recorded", WAIT, () -> backfilled(id) == 2);
  }

  private static int backfilled(long badgeId) {
    return server
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT backfilled_revision FROM badges WHERE id = :id")
                    .bind("id", badgeId)
                    .mapTo(int.class)
                    .one());
  }
}
