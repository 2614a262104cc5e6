package io.skillquest.server.webhook;

import static io.skillquest.server.challenge.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admin webhook routes, with the in-process worker delivering to a real receiver. */
class WebhookRoutesTest {
  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  record Hit(String path, String signature, String eventId, byte[] body) {}

  static HttpServer receiver;
  static final List<Hit> hits = new CopyOnWriteArrayList<>();
  static final AtomicInteger failFirst = new AtomicInteger();
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    admin = server.adminToken();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    receiver.createContext(
        "/",
        exchange -> {
          var h = exchange.getRequestHeaders();
          hits.add(
              new Hit(
                  exchange.getRequestURI().getPath(),
                  h.getFirst("SkillQuest-Signature"),
                  h.getFirst("SkillQuest-Event-Id"),
                  exchange.getRequestBody().readAllBytes()));
          int status = failFirst.getAndDecrement() > 0 ? 500 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  static TestServer.Response create(Object body) {
    return server.post("/admin/webhooks", body, admin);
  }

  static void assertInvalid(TestServer.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.get("errors").has(field)).as(r.toString()).isTrue();
  }

  static boolean verified(Hit hit, String secret) throws Exception {
    var parts = hit.signature().split(",");
    String t = parts[0].substring("t=".length());
    String v1 = parts[1].substring("v1=".length());
    var signed = new ByteArrayOutputStream();
    signed.write(t.getBytes(StandardCharsets.US_ASCII));
    signed.write('.');
    signed.write(hit.body());
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(signed.toByteArray())).equals(v1);
  }

  @Test
  void anEndpointIsCreatedWithItsSecretShownOnceAndReceivesSignedEvents() throws Exception {
    var r = create(json("url", url("/signed"), "events", List.of("attempt.processed")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long id = r.get("id").asLong();
    String secret = r.get("secret").asText();
    assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
    assertThat(r.header("Location")).isEqualTo("/api/v1/admin/webhooks/" + id);
    assertThat(r.get("enabled").asBoolean()).isTrue();
    assertThat(r.get("created_at").isTextual()).isTrue();

    var shown = server.get("/admin/webhooks/" + id, admin);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.body().has("secret")).isFalse();
    assertThat(shown.body().toString()).doesNotContain(secret);
    assertThat(server.get("/admin/webhooks", admin).body().toString()).doesNotContain(secret);

    var player = server.registerAndLogin("hooked");
    long challenge = Fixtures.publishedChallenge(server, 100);
    long attempt =
        server
            .post("/attempts", Map.of("challenge_id", challenge), player.access())
            .get("id")
            .asLong();
    server.post("/attempts/" + attempt + "/submit", Map.of("score", 70), player.access());

    TestServer.await(
        "the event delivered",
        Duration.ofSeconds(20),
        () -> hits.stream().anyMatch(h -> h.path().equals("/signed")));
    var hit = hits.stream().filter(h -> h.path().equals("/signed")).findFirst().orElseThrow();
    assertThat(verified(hit, secret)).isTrue();
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hit.body());
    assertThat(body.get("type").asText()).isEqualTo("attempt.processed");
    assertThat(body.get("data").get("attempt_id").asLong()).isEqualTo(attempt);
    assertThat(hit.eventId()).isEqualTo(body.get("id").asText());

    TestServer.await(
        "the delivery logged",
        Duration.ofSeconds(10),
        () -> {
          var log = server.get("/admin/webhooks/" + id + "/deliveries", admin).body();
          return log.size() == 1 && log.get(0).get("status").asText().equals("succeeded");
        });
    JsonNode delivery = server.get("/admin/webhooks/" + id + "/deliveries", admin).body().get(0);
    assertThat(delivery.get("event_id").asLong()).isEqualTo(body.get("id").asLong());
    assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
    assertThat(delivery.get("last_status_code").asInt()).isEqualTo(204);
    assertThat(delivery.get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(delivery.has("next_attempt_at")).isTrue();

    // a manual re-send sends the same event again
    int before = (int) hits.stream().filter(h -> h.path().equals("/signed")).count();
    var resent =
        server.post(
            "/admin/webhooks/" + id + "/deliveries/" + delivery.get("id").asLong() + "/resend",
            null,
            admin);
    assertThat(resent.status()).as(resent.toString()).isEqualTo(202);
    assertThat(resent.get("status").asText()).isEqualTo("pending");
    TestServer.await(
        "re-sent",
        Duration.ofSeconds(20),
        () -> hits.stream().filter(h -> h.path().equals("/signed")).count() == before + 1);
    assertThat(hits.get(hits.size() - 1).eventId()).isEqualTo(hit.eventId());
  }

  @Test
  void endpointsAreListedPatchedAndDeleted() {
    long id =
        create(json("url", url("/crud"), "events", List.of("badge.awarded"))).get("id").asLong();
    var patched = server.patch("/admin/webhooks/" + id, Map.of("enabled", false), admin);
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.get("enabled").asBoolean()).isFalse();
    assertThat(patched.get("url").asText()).isEqualTo(url("/crud"));
    assertThat(patched.get("events").toString()).isEqualTo("[\"badge.awarded\"]");

    var retyped =
        server.patch(
            "/admin/webhooks/" + id,
            Map.of("events", List.of("level.reached", "badge.awarded"), "enabled", true),
            admin);
    assertThat(retyped.get("events").toString()).isEqualTo("[\"level.reached\",\"badge.awarded\"]");
    assertThat(retyped.get("enabled").asBoolean()).isTrue();

    var list = server.get("/admin/webhooks", admin);
    assertThat(list.body().findValuesAsText("url")).contains(url("/crud"));
    assertThat(server.delete("/admin/webhooks/" + id, admin).status()).isEqualTo(204);
    assertThat(server.get("/admin/webhooks/" + id, admin).status()).isEqualTo(404);
    assertThat(server.delete("/admin/webhooks/" + id, admin).status()).isEqualTo(404);
    assertThat(server.get("/admin/webhooks/" + id + "/deliveries", admin).status()).isEqualTo(404);
    assertThat(server.post("/admin/webhooks/" + id + "/deliveries/1/resend", null, admin).status())
        .isEqualTo(404);
  }

  @Test
  void badInputIs400AndChangesNothing() {
    int before = server.get("/admin/webhooks", admin).body().size();
    assertInvalid(
        create(json("url", "ftp://example.com/x", "events", List.of("badge.awarded"))), "url");
    assertInvalid(create(json("url", "not a url", "events", List.of("badge.awarded"))), "url");
    assertInvalid(create(json("url", url("/x"), "events", List.of("user.deleted"))), "events");
    assertInvalid(create(json("url", url("/x"), "events", List.of())), "events");
    assertInvalid(create(json("events", List.of("badge.awarded"))), "url");
    assertInvalid(create(json("url", url("/x"))), "events");
    assertThat(
            create(json("url", url("/x"), "events", List.of("badge.awarded"), "secret", "mine"))
                .status())
        .isEqualTo(400);
    assertThat(server.get("/admin/webhooks", admin).body().size()).isEqualTo(before);

    long id =
        create(json("url", url("/bad"), "events", List.of("badge.awarded"))).get("id").asLong();
    assertInvalid(server.patch("/admin/webhooks/" + id, json("url", "gopher://x"), admin), "url");
    var nulled = new java.util.HashMap<String, Object>();
    nulled.put("events", null);
    assertInvalid(server.patch("/admin/webhooks/" + id, nulled, admin), "events");
    assertThat(server.get("/admin/webhooks/" + id, admin).get("url").asText())
        .isEqualTo(url("/bad"));
    assertThat(server.get("/admin/webhooks/abc", admin).status()).isEqualTo(400);
    assertThat(server.get("/admin/webhooks/" + id + "/deliveries?limit=0", admin).status())
        .isEqualTo(400);
  }

  @Test
  void onlyAdminsManageEndpoints() {
    var user = server.registerAndLogin("not-an-admin");
    assertThat(create(json("url", url("/x"), "events", List.of("badge.awarded"))).status())
        .isEqualTo(201);
    assertThat(
            server
                .post(
                    "/admin/webhooks",
                    json("url", url("/x"), "events", List.of("badge.awarded")),
                    user.access())
                .status())
        .isEqualTo(403);
    assertThat(server.get("/admin/webhooks", user.access()).status()).isEqualTo(403);
    assertThat(server.get("/admin/webhooks", null).status()).isEqualTo(401);
  }

  @Test
  void privateTargetsAreRefusedWhenNotAllowed() {
    try (var strict =
        TestServer.builder()
            .withoutWorker()
            .env("SKILLQUEST_WEBHOOK_ALLOW_PRIVATE", "false")
            .start()) {
      String token = strict.adminToken();
      for (var target :
          List.of(
              url("/x"),
              "http://localhost:8080/x",
              "http://10.1.2.3/x",
              "http://192.168.0.10/x",
              "http://169.254.169.254/latest/meta-data",
              "http://[::1]/x",
              "http://[fd00::1]/x")) {
        var r =
            strict.post(
                "/admin/webhooks", json("url", target, "events", List.of("badge.awarded")), token);
        assertThat(r.status()).as(target + " " + r).isEqualTo(400);
        assertThat(r.get("errors").get("url").asText()).as(target).contains("resolves to");
      }
      assertThat(strict.get("/admin/webhooks", token).body().size()).isZero();
    }
  }
}
