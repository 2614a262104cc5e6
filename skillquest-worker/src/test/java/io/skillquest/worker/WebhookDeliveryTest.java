package io.skillquest.worker;

import static io.skillquest.store.testing.StoreFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.store.events.EventStore;
import io.skillquest.store.events.WebhookSettings;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker delivering the outbox to real HTTP receivers. */
@ExtendWith(RealStores.class)
class WebhookDeliveryTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String SECRET = "whsec_test-secret";

  private StoreFixture stores;
  private final Receiver receiver = new Receiver();

  @BeforeEach
  void open(StoreFixture fresh) {
    stores = fresh;
  }

  @AfterEach
  void close() {
    receiver.close();
  }

  /** Short retries so tests watch them; private targets allowed for the local receivers. */
  static WebhookSettings quick(boolean allowPrivate, int maxAttempts, Duration timeout) {
    return new WebhookSettings(
        allowPrivate, timeout, maxAttempts, Duration.ofMillis(100), 2, 4, Duration.ofMillis(100));
  }

  static Worker worker(StoreFixture stores, WebhookSettings webhooks) {
    return worker(stores, webhooks, new SimpleMeterRegistry());
  }

  static Worker worker(
      StoreFixture stores,
      WebhookSettings webhooks,
      io.micrometer.core.instrument.MeterRegistry registry) {
    var f = Workers.FAST;
    var settings = f.withEvents(EventSettings.DEFAULT.withWebhooks(webhooks));
    var worker = new Worker(stores.jdbi, stores.config, registry, settings);
    worker.start();
    return worker;
  }

  static long webhook(StoreFixture stores, String url, String... types) {
    return stores.count(
        """
        INSERT INTO webhooks (url, events, secret, cursor)
        VALUES (?, ?, ?, (SELECT coalesce(max(id), 0) FROM events)) RETURNING id""",
        url,
        types.length == 0
            ? new String[] {"attempt.processed", "level.reached", "badge.awarded"}
            : types,
        SECRET);
  }

  private long awarded(int score) {
    long user = stores.user();
    return stores.submitAndEnqueue(user, stores.challenge(100, 60), score);
  }

  /** An independent check of the signature, over the raw bytes received. */
  static boolean verified(Receiver.Received r, String secret) throws Exception {
    String header = r.header("SkillQuest-Signature");
    var parts =
        Map.of(
            header.split(",")[0].split("=")[0], header.split(",")[0].split("=")[1],
            header.split(",")[1].split("=")[0], header.split(",")[1].split("=")[1]);
    var signed = new ByteArrayOutputStream();
    signed.write(parts.get("t").getBytes(StandardCharsets.US_ASCII));
    signed.write('.');
    signed.write(r.body());
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(signed.toByteArray()));
    long age = Instant.now().getEpochSecond() - Long.parseLong(parts.get("t"));
    return expected.equals(parts.get("v1")) && age >= 0 && age < 300;
  }

  @Test
  void eventsArriveSignedInOrderWithTheirHeaders() throws Exception {
    long hook = webhook(stores, receiver.url("/hook"));
    stores.liveBadge("first", "{\"type\":\"attempt_count\",\"count\":1}");
    var registry = new SimpleMeterRegistry();
    try (var worker = worker(stores, quick(true, 10, Duration.ofSeconds(10)), registry)) {
      for (int i = 0; i < 5; i++) {
        awarded(100);
      }
      // each award: attempt.processed, level.reached (100 XP is level 2), badge.awarded
      eventually(WAIT, () -> assertThat(receiver.received).hasSize(15));
      eventually(
          WAIT,
          () ->
              assertThat(
                      registry
                          .get("skillquest.webhook.deliveries")
                          .tag("result", "succeeded")
                          .counter()
                          .count())
                  .isEqualTo(15));
      eventually(
          WAIT,
          () ->
              assertThat(
                      registry
                          .get("skillquest.webhook.lag")
                          .tag("webhook", Long.toString(hook))
                          .gauge()
                          .value())
                  .isZero());
    }
    var all = new EventStore(stores.jdbi).after(0, null, 100);
    assertThat(receiver.received)
        .extracting(Receiver.Received::eventId)
        .containsExactlyElementsOf(all.stream().map(e -> e.id()).toList());
    var json = new ObjectMapper();
    for (int i = 0; i < all.size(); i++) {
      var r = receiver.received.get(i);
      assertThat(verified(r, SECRET))
          .as("signature of " + r.header("SkillQuest-Signature"))
          .isTrue();
      assertThat(verified(r, "another-secret")).isFalse();
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
      assertThat(r.header("SkillQuest-Event-Type")).isEqualTo(all.get(i).type());
      var body = json.readTree(r.body());
      assertThat(body.get("id").asLong()).isEqualTo(all.get(i).id());
      assertThat(body.get("type").asText()).isEqualTo(all.get(i).type());
      assertThat(body.get("data")).isEqualTo(json.readTree(all.get(i).data()));
      assertThat(body.has("created_at")).isTrue();
    }
    assertThat(
            stores.count(
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'succeeded'"
                    + " AND attempts = 1 AND last_status_code = 200 AND duration_ms >= 0",
                hook))
        .isEqualTo(15);
  }

  @Test
  void onlySubscribedTypesAreSent() {
    webhook(stores, receiver.url("/levels"), "level.reached");
    try (var worker = worker(stores, quick(true, 10, Duration.ofSeconds(10)))) {
      awarded(100);
      awarded(30);
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      eventually(WAIT, () -> assertThat(receiver.received).hasSize(1));
    }
    assertThat(receiver.received.get(0).header("SkillQuest-Event-Type")).isEqualTo("level.reached");
  }

  @Test
  void aReceiverAnswering500ThenGetsTheSameEventAgainAndNothingOvertakesIt() {
    var calls = new AtomicInteger();
    receiver.answer = r -> calls.incrementAndGet() == 1 ? 500 : 200;
    long hook = webhook(stores, receiver.url("/flaky"), "attempt.processed");
    try (var worker = worker(stores, quick(true, 10, Duration.ofSeconds(10)))) {
      awarded(50);
      awarded(40);
      eventually(WAIT, () -> assertThat(receiver.received).hasSize(3));
    }
    var ids = receiver.received.stream().map(Receiver.Received::eventId).toList();
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
    assertThat(ids.get(2)).isGreaterThan(ids.get(1));
    assertThat(
            stores.count(
                "SELECT attempts FROM webhook_deliveries WHERE webhook_id = ? AND event_id = ?"
                    + " AND status = 'succeeded' AND last_status_code = 200",
                hook,
                ids.get(0)))
        .isEqualTo(2);
  }

  @Test
  void aDeadEndpointDoesNotDelayAHealthyOne() throws Exception {
    // accepts connections (the kernel does) but never answers
    try (var dead = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      long deadHook = webhook(stores, "http://127.0.0.1:" + dead.getLocalPort() + "/never");
      webhook(stores, receiver.url("/healthy"));
      try (var worker = worker(stores, quick(true, 10, Duration.ofSeconds(60)))) {
        for (int i = 0; i < 4; i++) {
          awarded(50);
        }
        eventually(WAIT, () -> assertThat(receiver.received).hasSize(4));
        // the dead endpoint's first try is still waiting for its answer
        assertThat(
                stores.count(
                    "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND attempts > 0",
                    deadHook))
            .isZero();
      }
    }
  }

  @Test
  void anEndpointFailingEveryTryIsDisabledWithItsDeliveryFailed() {
    receiver.answer = r -> 503;
    long hook = webhook(stores, receiver.url("/down"), "attempt.processed");
    try (var worker = worker(stores, quick(true, 3, Duration.ofSeconds(10)))) {
      awarded(50);
      eventually(
          WAIT,
          () ->
              assertThat(
                      stores.count(
                          "SELECT count(*) FROM webhooks WHERE id = ? AND NOT enabled", hook))
                  .isOne());
    }
    assertThat(receiver.received).hasSize(3);
    assertThat(
            stores.count(
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'failed'"
                    + " AND attempts = 3 AND last_status_code = 503 AND next_attempt_at IS NULL",
                hook))
        .isOne();
    assertThat(
            stores.count(
                "SELECT count(*) FROM webhooks WHERE id = ? AND disabled_reason LIKE '%HTTP 503%'",
                hook))
        .isOne();
  }

  @Test
  void redirectsAreNotFollowed() {
    receiver.answer = r -> r.path().equals("/redirected") ? 200 : 302;
    long hook = webhook(stores, receiver.url("/moved"), "attempt.processed");
    try (var worker = worker(stores, quick(true, 2, Duration.ofSeconds(10)))) {
      awarded(50);
      eventually(
          WAIT,
          () ->
              assertThat(
                      stores.count(
                          "SELECT count(*) FROM webhooks WHERE id = ? AND NOT enabled", hook))
                  .isOne());
    }
    assertThat(receiver.received).extracting(Receiver.Received::path).containsOnly("/moved");
    assertThat(
            stores.count(
                "SELECT last_status_code FROM webhook_deliveries WHERE webhook_id = ?", hook))
        .isEqualTo(302);
  }

  @Test
  void privateTargetsAreRefusedAtDeliveryUnlessAllowed() {
    long hook = webhook(stores, receiver.url("/private"), "attempt.processed");
    try (var worker = worker(stores, quick(false, 10, Duration.ofSeconds(10)))) {
      awarded(50);
      eventually(
          WAIT,
          () ->
              assertThat(
                      stores.count(
                          "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND attempts > 0"
                              + " AND last_error LIKE 'url refused: resolves to 127.0.0.1%'",
                          hook))
                  .isOne());
    }
    assertThat(receiver.received).isEmpty();
  }

  @Test
  void twoWorkersNeverSendAnEventTwice() {
    webhook(stores, receiver.url("/shared"));
    try (var one = worker(stores, quick(true, 10, Duration.ofSeconds(10)));
        var two = worker(stores, quick(true, 10, Duration.ofSeconds(10)))) {
      for (int i = 0; i < 40; i++) {
        awarded(30 + i);
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      long events = new EventStore(stores.jdbi).after(0, null, 1000).size();
      eventually(WAIT, () -> assertThat(receiver.received).hasSize((int) events));
    }
    assertThat(ids(receiver)).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void anEndpointCreatedLaterGetsOnlyLaterEvents() {
    try (var worker = worker(stores, quick(true, 10, Duration.ofSeconds(10)))) {
      awarded(50);
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      webhook(stores, receiver.url("/late"), "attempt.processed");
      long later = awarded(60);
      eventually(WAIT, () -> assertThat(receiver.received).hasSize(1));
      assertThat(receiver.received.get(0).text()).contains("\"attempt_id\": " + later);
    }
  }

  static List<Long> ids(Receiver receiver) {
    return receiver.received.stream().map(Receiver.Received::eventId).toList();
  }
}
