package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Conditions;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * consecutive_days badges are judged under the configured streak freeze rule, in the user's zone.
 */
@ExtendWith(RealStores.class)
class StreakFreezeFactsTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void aFreezeBridgesAMissedDayAcrossADstChangeButIsNotCounted(StoreFixture stores) {
    long user = stores.user("Europe/Paris");
    long challenge = stores.challenge(100, 60);
    // Paris clocks go back on 2026-10-25 (a 25-hour day). Passes on Paris days 21, 22, 23 earn one
    // freeze (one per 3 days), 24 is missed and frozen, then 25 (00:30 CEST, still the 24th in
    // UTC), 26 (00:30 CET, the 25th in UTC) and 27.
    for (var local :
        List.of(
            "2026-10-21T12:00",
            "2026-10-22T12:00",
            "2026-10-23T12:00",
            "2026-10-25T00:30",
            "2026-10-26T00:30",
            "2026-10-27T12:00")) {
      passed(stores, user, challenge, LocalDateTime.parse(local).atZone(PARIS).toInstant());
    }
    var badge = Conditions.parse(Map.of("type", "consecutive_days", "days", 6));
    var subject = new BadgeFacts.Subject(user, 0);

    var withFreezes =
        stores.jdbi.withHandle(
            h -> BadgeFacts.read(h, List.of(subject), new FreezeRule(3, 1)).get(user));
    assertThat(withFreezes.longestStreak())
        .as("six real days, the frozen one not counted")
        .isEqualTo(6);
    assertThat(BadgeEvaluator.satisfied(badge, withFreezes)).isTrue();
    assertThat(
            BadgeEvaluator.satisfied(
                Conditions.parse(Map.of("type", "consecutive_days", "days", 7)), withFreezes))
        .as("a frozen day never counts as a streak day")
        .isFalse();

    var off = stores.jdbi.withHandle(h -> BadgeFacts.read(h, List.of(subject), FreezeRule.OFF));
    assertThat(off.get(user).longestStreak()).isEqualTo(3);
    assertThat(BadgeEvaluator.satisfied(badge, off.get(user))).isFalse();
  }

  @Test
  void anAwardCountsItsPassOnItsOwnersCalendarDayAndAZoneUnknownToPostgresAsUtc(
      StoreFixture stores) {
    var processor =
        new AwardProcessor(
            stores.jdbi,
            new LeaderboardStore(stores.jdbi, stores.redis, stores.keys),
            new BadgeCatalogue(new BadgeConditions()),
            new WorkerMetrics(new SimpleMeterRegistry()),
            FreezeRule.OFF);
    long challenge = stores.challenge(100, 60);
    long twoDays =
        stores.liveBadge(
            "two-days-" + System.nanoTime(), "{\"type\":\"consecutive_days\",\"days\":2}");
    // 23:00 on the 30th, then 01:00 on the 1st in Auckland (UTC+13): two of its days, one UTC day
    var late = LocalDateTime.parse("2026-11-30T23:00").atZone(ZoneId.of("Pacific/Auckland"));
    var early = late.plusHours(2).toInstant();
    long kiwi = stores.user("Pacific/Auckland");
    long nowhere = stores.user("Mars/Olympus_Mons");
    for (long user : List.of(kiwi, nowhere)) {
      assertThat(
              processor
                  .process(stores.gradedResult(user, challenge, 90, late.toInstant()))
                  .badgeIds())
          .doesNotContain(twoDays);
    }

    assertThat(processor.process(stores.gradedResult(kiwi, challenge, 90, early)).badgeIds())
        .contains(twoDays);
    var unknownZone = processor.process(stores.gradedResult(nowhere, challenge, 90, early));
    assertThat(unknownZone.result()).isEqualTo(AwardOutcome.Result.PROCESSED);
    assertThat(unknownZone.badgeIds()).as("counted in UTC: one day").doesNotContain(twoDays);
  }

  @Test
  void theRuleComesFromTheEnvironment() {
    assertThat(WorkerSettings.fromEnv(Map.of()).freezeRule()).isEqualTo(FreezeRule.DEFAULT);
    assertThat(
            WorkerSettings.fromEnv(
                    Map.of(
                        "SKILLQUEST_STREAK_FREEZE_EVERY", "5", "SKILLQUEST_STREAK_FREEZE_MAX", "0"))
                .freezeRule())
        .isEqualTo(new FreezeRule(5, 0));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WorkerSettings.fromEnv(Map.of("SKILLQUEST_STREAK_FREEZE_MAX", "-1")))
        .hasMessageContaining("SKILLQUEST_STREAK_FREEZE_MAX");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WorkerSettings.fromEnv(Map.of("SKILLQUEST_STREAK_FREEZE_EVERY", "0")))
        .hasMessageContaining("SKILLQUEST_STREAK_FREEZE_EVERY");
  }

  private static void passed(StoreFixture stores, long user, long challenge, java.time.Instant at) {
    stores.jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded, started_at,"
                    + " submitted_at, processed_at) VALUES (?, ?, 'passed', 90, 0, ?, ?, ?)",
                user,
                challenge,
                java.sql.Timestamp.from(at),
                java.sql.Timestamp.from(at),
                java.sql.Timestamp.from(at)));
  }
}
