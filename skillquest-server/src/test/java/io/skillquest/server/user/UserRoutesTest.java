package io.skillquest.server.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /users/me: progress and earned badges, from rows written directly to the database (no worker).
 */
class UserRoutesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static long challenge;

  @BeforeAll
  static void start() {
    challenge = Fixtures.publishedChallenge(server, 100);
  }

  /** A processed attempt submitted at {@code instantSql}, an SQL expression for a timestamptz. */
  private static void attempt(long userId, String status, int score, String instantSql) {
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded,"
                        + " started_at, submitted_at, processed_at) VALUES (?, ?, ?, ?, 0, "
                        + instantSql
                        + ", "
                        + instantSql
                        + ", "
                        + (status.equals("submitted") ? "NULL" : instantSql)
                        + ")",
                    userId,
                    challenge,
                    status,
                    score));
  }

  private static void timeZone(long userId, String zone) {
    server
        .jdbi()
        .useHandle(h -> h.execute("UPDATE users SET time_zone = ? WHERE id = ?", zone, userId));
  }

  private static long badge(String name) {
    var r =
        server.post(
            "/badges",
            Map.of(
                "name",
                name,
                "icon_url",
                "https://cdn.example/" + name + ".png",
                "condition",
                Map.of("type", "xp", "threshold", 1_000_000)),
            server.adminToken());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
  }

  private static void award(long userId, long badgeId, String instantSql) {
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO user_badges (user_id, badge_id, awarded_at) VALUES (?, ?, "
                        + instantSql
                        + ")",
                    userId,
                    badgeId));
  }

  private static List<Long> ids(JsonNode list) {
    return StreamSupport.stream(list.spliterator(), false).map(n -> n.path("id").asLong()).toList();
  }

  @Test
  void aNewUserStartsAtTheBeginning() {
    var kim = server.registerAndLogin("kim");
    var r = server.get("/users/me/progress", kim.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("total_xp").asLong()).isZero();
    assertThat(r.get("level").asInt()).isEqualTo(1);
    assertThat(r.get("next_level_xp").asLong()).isEqualTo(100);
    assertThat(r.get("xp_to_next_level").asLong()).isEqualTo(100);
    assertThat(r.get("rank").asLong()).isPositive();
    assertThat(r.get("current_streak").asInt()).isZero();
    assertThat(r.get("longest_streak").asInt()).isZero();
    assertThat(r.get("badges").isArray()).isTrue();
    assertThat(r.get("badges")).isEmpty();
    assertThat(r.get("attempts").toString())
        .isEqualTo("{\"started\":0,\"submitted\":0,\"passed\":0,\"failed\":0}");
    assertThat(server.get("/users/me/badges", kim.access()).body()).isEmpty();
  }

  @Test
  void progressReportsXpLevelRankStreaksBadgesAndAttemptCounts() {
    var lee = server.registerAndLogin("lee");
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE users SET total_xp = 400, level = 3, xp_reached_at = now() - interval '1 day' WHERE id = ?",
                    lee.userId()));
    server
        .redis()
        .del(server.keys().leaderboard()); // the rank is read after a rebuild from the database
    // a current streak of 3 (today, yesterday, the day before) and an older, longer one of 4
    for (int daysAgo : List.of(0, 1, 2, 10, 11, 12, 13)) {
      attempt(lee.userId(), "passed", 90, "now() - interval '" + daysAgo + " days'");
    }
    attempt(lee.userId(), "passed", 95, "now()"); // a second pass today is the same day
    attempt(
        lee.userId(),
        "failed",
        10,
        "now() - interval '5 days'"); // failures do not count towards streaks
    attempt(lee.userId(), "submitted", 50, "now()");
    var started = server.post("/attempts", Map.of("challenge_id", challenge), lee.access());
    assertThat(started.status()).isEqualTo(201);
    long older = badge("older");
    long newer = badge("newer");
    award(lee.userId(), older, "now() - interval '2 days'");
    award(lee.userId(), newer, "now() - interval '1 hour'");

    var r = server.get("/users/me/progress", lee.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("total_xp").asLong()).isEqualTo(400);
    assertThat(r.get("level").asInt()).isEqualTo(3);
    assertThat(r.get("next_level_xp").asLong()).isEqualTo(900);
    assertThat(r.get("xp_to_next_level").asLong()).isEqualTo(500);
    assertThat(r.get("rank").asLong()).isEqualTo(1);
    assertThat(r.get("current_streak").asInt()).isEqualTo(3);
    assertThat(r.get("longest_streak").asInt()).isEqualTo(4);
    assertThat(r.get("attempts").path("started").asInt()).isEqualTo(1);
    assertThat(r.get("attempts").path("submitted").asInt()).isEqualTo(1);
    assertThat(r.get("attempts").path("passed").asInt()).isEqualTo(8);
    assertThat(r.get("attempts").path("failed").asInt()).isEqualTo(1);
    assertThat(ids(r.get("badges"))).containsExactly(newer, older);
    var first = r.get("badges").get(0);
    assertThat(first.path("name").asText()).isEqualTo("newer");
    assertThat(first.path("icon_url").asText()).isEqualTo("https://cdn.example/newer.png");
    assertThat(first.path("awarded_at").isTextual()).isTrue();

    var badges = server.get("/users/me/badges", lee.access());
    assertThat(badges.status()).isEqualTo(200);
    assertThat(ids(badges.body())).containsExactly(newer, older);
    assertThat(badges.body().get(1).path("name").asText()).isEqualTo("older");
    assertThat(badges.body().get(1).path("awarded_at").isTextual()).isTrue();
  }

  @Test
  void aStreakThatEndedBeforeYesterdayIsNotCurrent() {
    var max = server.registerAndLogin("max");
    for (int daysAgo : List.of(2, 3)) {
      attempt(max.userId(), "passed", 90, "now() - interval '" + daysAgo + " days'");
    }
    var r = server.get("/users/me/progress", max.access());
    assertThat(r.get("current_streak").asInt()).isZero();
    assertThat(r.get("longest_streak").asInt()).isEqualTo(2);
  }

  @Test
  void daysAreCountedInTheUsersTimeZone() {
    var nia = server.registerAndLogin("nia");
    timeZone(nia.userId(), "Asia/Tokyo");
    // 23:30 and 00:30 Tokyo time on consecutive Tokyo days: one hour apart, the same UTC day
    var midnight =
        "(date_trunc('day', now() AT TIME ZONE 'Asia/Tokyo') - interval '3 days') AT TIME ZONE 'Asia/Tokyo'";
    attempt(nia.userId(), "passed", 90, "(" + midnight + " - interval '30 minutes')");
    attempt(nia.userId(), "passed", 90, "(" + midnight + " + interval '30 minutes')");
    var r = server.get("/users/me/progress", nia.access());
    assertThat(r.get("longest_streak").asInt()).isEqualTo(2);

    var oto = server.registerAndLogin("oto");
    attempt(oto.userId(), "passed", 90, "(" + midnight + " - interval '30 minutes')");
    attempt(oto.userId(), "passed", 90, "(" + midnight + " + interval '30 minutes')");
    assertThat(server.get("/users/me/progress", oto.access()).get("longest_streak").asInt())
        .as("the same two instants are one day in UTC")
        .isEqualTo(1);

    // a zone PostgreSQL does not know (written around the API) counts in UTC, as the worker's
    // streak badges do, instead of failing the read
    var ula = server.registerAndLogin("ula");
    timeZone(ula.userId(), "Mars/Olympus_Mons");
    attempt(ula.userId(), "passed", 90, "(" + midnight + " - interval '30 minutes')");
    attempt(ula.userId(), "passed", 90, "(" + midnight + " + interval '30 minutes')");
    var unknown = server.get("/users/me/progress", ula.access());
    assertThat(unknown.get("longest_streak").asInt()).isEqualTo(1);
  }

  @Test
  void rankAgreesWithTheLeaderboard() {
    var pat = server.registerAndLogin("pat");
    var me = server.get("/leaderboard/me", pat.access());
    assertThat(server.get("/users/me/progress", pat.access()).get("rank").asLong())
        .isEqualTo(me.get("rank").asLong());
  }

  @Test
  void bothRoutesNeedASignedInUser() {
    assertThat(server.get("/users/me/progress", null).status()).isEqualTo(401);
    assertThat(server.get("/users/me/badges", null).status()).isEqualTo(401);
    assertThat(server.get("/users/me/progress", "garbage").status()).isEqualTo(401);
  }
}
