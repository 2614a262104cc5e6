package io.skillquest.server.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Progress counts streaks under the configured freeze rule (here one freeze per 3 days, 1 held).
 */
class StreakFreezeProgressTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_STREAK_FREEZE_EVERY", "3")
          .env("SKILLQUEST_STREAK_FREEZE_MAX", "1")
          .extension();

  static long challenge;

  @BeforeAll
  static void start() {
    challenge = Fixtures.publishedChallenge(server, 100);
  }

  private static void passedAt(long userId, String instantSql) {
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded,"
                        + " started_at, submitted_at, processed_at) VALUES (?, ?, 'passed', 90, 0, "
                        + instantSql
                        + ", "
                        + instantSql
                        + ", "
                        + instantSql
                        + ")",
                    userId,
                    challenge));
  }

  private static void timeZone(long userId, String zone) {
    server
        .jdbi()
        .useHandle(h -> h.execute("UPDATE users SET time_zone = ? WHERE id = ?", zone, userId));
  }

  @Test
  void aHeldFreezeIsShownAndCoversAMissedYesterday() {
    var ada = server.registerAndLogin("ada_f");
    for (int daysAgo : List.of(1, 2, 3)) {
      passedAt(ada.userId(), "now() - interval '" + daysAgo + " days'");
    }
    var held = server.get("/users/me/progress", ada.access());
    assertThat(held.status()).as(held.toString()).isEqualTo(200);
    assertThat(held.get("current_streak").asInt()).isEqualTo(3);
    assertThat(held.get("streak_freezes").asInt()).as("earned by 3 days in a row").isEqualTo(1);

    var bo = server.registerAndLogin("bob_f");
    for (int daysAgo : List.of(2, 3, 4)) {
      passedAt(bo.userId(), "now() - interval '" + daysAgo + " days'");
    }
    var used = server.get("/users/me/progress", bo.access());
    assertThat(used.get("current_streak").asInt())
        .as("yesterday was frozen: alive, not counted")
        .isEqualTo(3);
    assertThat(used.get("streak_freezes").asInt()).isZero();

    var cy = server.registerAndLogin("cyd_f");
    passedAt(cy.userId(), "now() - interval '1 day'");
    assertThat(server.get("/users/me/progress", cy.access()).get("streak_freezes").asInt())
        .isZero();
  }

  @Test
  void aFrozenDayBridgesAStreakAcrossADstChangeInTheUsersZone() {
    var dee = server.registerAndLogin("dee_f");
    timeZone(dee.userId(), "Europe/Paris");
    // Paris clocks go back on 2026-10-25. Paris days 21, 22, 23 earn a freeze, 24 is missed and
    // frozen, then 25 (00:30 CEST, still the 24th in UTC), 26 (00:30 CET, the 25th in UTC), 27
    for (var local :
        List.of(
            "2026-10-21T12:00",
            "2026-10-22T12:00",
            "2026-10-23T12:00",
            "2026-10-25T00:30",
            "2026-10-26T00:30",
            "2026-10-27T12:00")) {
      var instant = LocalDateTime.parse(local).atZone(ZoneId.of("Europe/Paris")).toInstant();
      passedAt(dee.userId(), "'" + instant + "'::timestamptz");
    }
    var r = server.get("/users/me/progress", dee.access());
    assertThat(r.get("longest_streak").asInt())
        .as("six real days; the frozen one keeps the streak alive but is not counted")
        .isEqualTo(6);
  }
}
