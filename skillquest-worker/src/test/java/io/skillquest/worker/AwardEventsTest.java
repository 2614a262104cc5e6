package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.events.Event;
import io.skillquest.store.events.EventStore;
import io.skillquest.store.events.EventTypes;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The award transaction's outbox: an event exists exactly when its effect does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RealStores.class)
class AwardEventsTest {

  private final StoreFixture stores;
  private final EventStore events;

  AwardEventsTest(StoreFixture stores) {
    this.stores = stores;
    this.events = new EventStore(stores.jdbi);
  }

  private AwardProcessor processor(boolean events) {
    return processor(stores, events);
  }

  private static AwardProcessor processor(StoreFixture stores, boolean events) {
    return new AwardProcessor(
        stores.jdbi,
        new LeaderboardStore(stores.jdbi, stores.redis, stores.keys),
        new BadgeCatalogue(new BadgeConditions()),
        new WorkerMetrics(new SimpleMeterRegistry()),
        FreezeRule.DEFAULT,
        null,
        events);
  }

  @AfterEach
  void consistent() {
    stores.assertConsistent();
  }

  @Test
  void aBatchWritesItsAttemptsThenLevelsThenBadgesWithWhatWasPaid() {
    long user = stores.user();
    long challenge = stores.challenge(500, 60);
    long badge = stores.liveBadge("events-400", "{\"type\":\"xp\",\"threshold\":400}");
    long before = events.latestId();
    long first = stores.submitted(user, challenge, 50);
    long second = stores.submitted(user, challenge, 90);
    processor(true).processAll(List.of(first, second));

    var written = events.after(before, user, 100);
    assertThat(written)
        .extracting(Event::type)
        .containsExactly(
            EventTypes.ATTEMPT_PROCESSED,
            EventTypes.ATTEMPT_PROCESSED,
            EventTypes.LEVEL_REACHED,
            EventTypes.LEVEL_REACHED,
            EventTypes.BADGE_AWARDED);
    assertThat(written.get(0).data())
        .contains(
            "\"attempt_id\": " + first,
            "\"xp_awarded\": 250",
            "\"total_xp\": 250",
            "\"level\": 2",
            "\"status\": \"failed\"");
    assertThat(written.get(1).data())
        .contains("\"attempt_id\": " + second, "\"xp_awarded\": 200", "\"total_xp\": 450");
    // 250 XP is level 2, 450 XP level 3: each award that raised the level says so
    assertThat(written.get(2).data()).contains("\"level\": 2", "\"total_xp\": 250");
    assertThat(written.get(3).data()).contains("\"level\": 3", "\"total_xp\": 450");
    assertThat(written.get(4).data()).contains("\"badge_id\": " + badge, "\"events-400\"");
  }

  @Test
  void aLoneAwardWritesTheSameEventsInTheSameOrder() {
    long user = stores.user();
    long challenge = stores.challenge(500, 60, "events-lone");
    // a tag no other test's attempts carry: the catalogue is shared by the class
    long badge =
        stores.liveBadge(
            "events-lone", "{\"type\":\"tag_passed\",\"tag\":\"events-lone\",\"count\":1}");
    long before = events.latestId();
    long attempt = stores.submitted(user, challenge, 90);
    // one attempt takes the lone path: its events ride with the settle, its badge's after it
    processor(true).process(attempt);

    var written = events.after(before, user, 100);
    assertThat(written)
        .extracting(Event::type)
        .containsExactly(
            EventTypes.ATTEMPT_PROCESSED, EventTypes.LEVEL_REACHED, EventTypes.BADGE_AWARDED);
    assertThat(written.get(0).data())
        .contains("\"attempt_id\": " + attempt, "\"xp_awarded\": 450", "\"total_xp\": 450");
    assertThat(written.get(1).data()).contains("\"level\": 3", "\"total_xp\": 450");
    assertThat(written.get(2).data()).contains("\"badge_id\": " + badge, "\"events-lone\"");
  }

  @Test
  void aRedeliveredTaskWritesNothingTheSecondTime() {
    long user = stores.user();
    long attempt = stores.submitted(user, stores.challenge(100, 60), 80);
    long before = events.latestId();
    try (var worker = Workers.fast(stores)) {
      worker.handle(stores.task(attempt));
      worker.handle(stores.task(attempt));
    }
    assertThat(processor(true).process(attempt).result())
        .isEqualTo(AwardOutcome.Result.ALREADY_PROCESSED);
    assertThat(events.after(before, user, 100)).hasSize(1);
  }

  @Test
  void anAwardRolledBackAtCommitLeavesNoEventsAndIsPaidWithThemLater() {
    long user = stores.user();
    long attempt = stores.submitted(user, stores.challenge(100, 60), 100);
    long before = events.latestId();
    // fails the transaction at commit, after every event insert ran
    stores.jdbi.useHandle(
        h ->
            h.execute(
                """
                CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
                CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON events
                  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();
                """));
    try {
      assertThatThrownBy(() -> processor(true).process(attempt))
          .rootCause()
          .hasMessageContaining("refused at commit");
    } finally {
      stores.jdbi.useHandle(
          h -> h.execute("DROP TRIGGER refuse_commit ON events; DROP FUNCTION refuse_commit()"));
    }
    assertThat(events.after(before, null, 100)).isEmpty();
    assertThat(stores.totalXp(user)).isZero();

    processor(true).process(attempt);
    assertThat(events.after(before, null, 100))
        .extracting(Event::type)
        .containsExactly(EventTypes.ATTEMPT_PROCESSED, EventTypes.LEVEL_REACHED);
  }

  @Test
  void twoWorkersRacingForTheSameAttemptsWriteEachEventOnce() throws Exception {
    long challenge = stores.challenge(100, 60);
    var attempts = new java.util.ArrayList<Long>();
    for (int i = 0; i < 40; i++) {
      attempts.add(stores.submitted(stores.user(), challenge, 60 + i % 40));
    }
    long before = events.latestId();
    var reversed = new java.util.ArrayList<>(attempts);
    java.util.Collections.reverse(reversed);
    var a = CompletableFuture.runAsync(() -> settle(processor(true), attempts));
    var b = CompletableFuture.runAsync(() -> settle(processor(true), reversed));
    a.get(60, TimeUnit.SECONDS);
    b.get(60, TimeUnit.SECONDS);
    assertThat(events.after(before, null, 1000)).hasSize(40);
  }

  /** Retries BUSY attempts (the other worker holds them) until every one is settled. */
  private static void settle(AwardProcessor processor, List<Long> attempts) {
    var left = List.copyOf(attempts);
    while (!left.isEmpty()) {
      var outcomes = processor.processAll(left);
      left =
          left.stream()
              .filter(id -> outcomes.get(id).result() == AwardOutcome.Result.BUSY)
              .toList();
    }
  }

  @Test
  void retroactiveBadgesWriteTheirEvents() {
    // a database of its own, so only this test's users can earn the badge
    try (var stores = new StoreFixture()) {
      retroactiveBadgesWriteTheirEvents(stores);
    }
  }

  private static void retroactiveBadgesWriteTheirEvents(StoreFixture stores) {
    var events = new EventStore(stores.jdbi);
    long holder = stores.user();
    long other = stores.user();
    processor(stores, true).process(stores.submitted(holder, stores.challenge(100, 60), 100));
    long before = events.latestId();
    long badge = stores.badge("events-retro", "{\"type\":\"xp\",\"threshold\":50}");
    try (var worker = Workers.fast(stores)) {
      assertThat(worker.backfillNow()).isEqualTo(1);
    }
    var written = events.after(before, null, 100);
    assertThat(written).hasSize(1);
    assertThat(written.get(0).userId()).isEqualTo(holder).isNotEqualTo(other);
    assertThat(written.get(0).type()).isEqualTo(EventTypes.BADGE_AWARDED);
    assertThat(written.get(0).data()).contains("\"badge_id\": " + badge);
    stores.assertConsistent();
  }

  @Test
  void withEventsOffAwardsWriteNone() {
    // a database of its own: its awards lack events on purpose
    try (var stores = new StoreFixture()) {
      withEventsOffAwardsWriteNone(stores);
    }
  }

  private static void withEventsOffAwardsWriteNone(StoreFixture stores) {
    long user = stores.user();
    var outcome =
        processor(stores, false).process(stores.submitted(user, stores.challenge(100, 60), 90));
    assertThat(outcome.result()).isEqualTo(AwardOutcome.Result.PROCESSED);
    assertThat(new EventStore(stores.jdbi).after(0, null, 100)).isEmpty();
  }
}
