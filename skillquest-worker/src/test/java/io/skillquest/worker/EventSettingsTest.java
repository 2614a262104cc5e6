package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.store.events.EventStore;
import io.skillquest.store.events.Outbox;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStores.class)
class EventSettingsTest {

  private static EventSettings read(Map<String, String> env) {
    return WorkerSettings.fromEnv(env).events();
  }

  @Test
  void retentionIsDaysOrADurationAndDefaultsToThirtyDays() {
    assertThat(read(Map.of()).retention()).isEqualTo(Duration.ofDays(30));
    assertThat(read(Map.of()).enabled()).isTrue();
    assertThat(read(Map.of("SKILLQUEST_EVENT_RETENTION", "7")).retention())
        .isEqualTo(Duration.ofDays(7));
    assertThat(read(Map.of("SKILLQUEST_EVENT_RETENTION", "12h")).retention())
        .isEqualTo(Duration.ofHours(12));
    assertThat(read(Map.of("SKILLQUEST_EVENT_RETENTION", "P14D")).retention())
        .isEqualTo(Duration.ofDays(14));
    assertThat(read(Map.of("SKILLQUEST_EVENT_RETENTION", "PT90M")).retention())
        .isEqualTo(Duration.ofMinutes(90));
    for (var bad : List.of("0", "-3", "soon", "P", "3 weeks")) {
      assertThatThrownBy(() -> read(Map.of("SKILLQUEST_EVENT_RETENTION", bad)))
          .as(bad)
          .hasMessageContaining("SKILLQUEST_EVENT_RETENTION");
    }
    assertThat(read(Map.of("SKILLQUEST_EVENTS_ENABLED", "false")).enabled()).isFalse();
  }

  @Test
  void aWorkerOfItsOwnRefusesPrivateWebhookTargetsUnlessTold() {
    assertThat(read(Map.of()).webhooks().allowPrivate()).isFalse();
    assertThat(read(Map.of("SKILLQUEST_WEBHOOK_ALLOW_PRIVATE", "true")).webhooks().allowPrivate())
        .isTrue();
    var w =
        read(Map.of("SKILLQUEST_WEBHOOK_MAX_ATTEMPTS", "4", "SKILLQUEST_WEBHOOK_FIRST_RETRY", "2s"))
            .webhooks();
    assertThat(w.maxAttempts()).isEqualTo(4);
    assertThat(w.firstRetry()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> read(Map.of("SKILLQUEST_WEBHOOK_FIRST_RETRY", "later")))
        .hasMessageContaining("SKILLQUEST_WEBHOOK_FIRST_RETRY");
  }

  @Test
  void theDefaultBackoffRetriesWithinSecondsAndGivesUpAfterAboutADay() {
    var w = read(Map.of()).webhooks();
    assertThat(w.backoff(1)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < w.maxAttempts(); attempt++) {
      total = total.plus(w.backoff(attempt));
    }
    assertThat(total).isBetween(Duration.ofHours(12), Duration.ofHours(36));
  }

  @Test
  void theWorkerPrunesEventsPastTheRetentionOnly(StoreFixture stores) {
    long user = stores.user();
    for (int level = 2; level < 6; level++) {
      int l = level;
      stores.jdbi.useTransaction(
          h ->
              Outbox.write(
                  h, List.of(), List.of(new Outbox.LevelReached(user, l, l * 100L)), List.of()));
    }
    var events = new EventStore(stores.jdbi);
    var written = events.after(0, null, 100);
    stores.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE events SET created_at = now() - interval '8 days' WHERE id <= ?",
                written.get(2).id()));
    var settings =
        WorkerSettings.fromEnv(
            Map.of("SKILLQUEST_EVENT_RETENTION", "7d", "SKILLQUEST_WORKER_METRICS_PORT", "0"));
    try (var worker = new Worker(stores.jdbi, stores.config, new SimpleMeterRegistry(), settings)) {
      assertThat(worker.pruneEventsNow(Instant.now())).isEqualTo(3);
      assertThat(worker.pruneEventsNow(Instant.now())).isZero();
    }
    assertThat(events.after(0, null, 100)).containsExactly(written.get(3));
  }
}
