package io.skillquest.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.SkillQuestServer;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import io.skillquest.store.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admins create, list and revoke API clients; the secret is shown once and stored as a hash. */
class ApiClientRoutesTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.builder().withoutWorker().env("SKILLQUEST_CLIENT_RATE_LIMIT", "5/1m").extension();

  static TestServer.Response create(String name) {
    return server.post(
        "/admin/clients", Map.of("name", name, "scopes", List.of("grade")), server.adminToken());
  }

  /** A grader call that passes authentication and fails after it (no such attempt: 404). */
  static TestServer.Response graderCall(String secret) {
    return server.post("/grader/attempts/999999/score", Map.of("score", 50), secret);
  }

  @Test
  void aCreatedClientShowsItsSecretOnceAndIsStoredOnlyAsAHash() {
    var created = create("ci-grader");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long id = created.get("id").asLong();
    String secret = created.get("secret").asText();
    assertThat(secret).matches("sq_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
    assertThat(created.get("name").asText()).isEqualTo("ci-grader");
    assertThat(created.get("scopes").get(0).asText()).isEqualTo("grade");
    assertThat(created.get("created_at").isTextual()).isTrue();
    assertThat(created.header("Location")).isEqualTo("/api/v1/admin/clients/" + id);
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");

    var one = server.get("/admin/clients/" + id, server.adminToken());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().has("secret")).isFalse();
    assertThat(one.text()).doesNotContain(secret.substring(20));
    assertThat(one.get("revoked").asBoolean()).isFalse();
    assertThat(one.get("last_used_at").isNull()).isTrue();
    var all = server.get("/admin/clients", server.adminToken());
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.text()).doesNotContain(secret.substring(20)).contains("ci-grader");
    assertThat(all.body().findValues("secret")).isEmpty();

    var stored =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT key_id, secret_hash FROM api_clients WHERE id = :id")
                        .bind("id", id)
                        .mapToMap()
                        .one());
    var hash = HexFormat.of().formatHex((byte[]) stored.get("secret_hash"));
    assertThat(hash).hasSize(64).isNotEqualTo(secret).doesNotContain(secret.substring(20));
    assertThat(secret).contains((String) stored.get("key_id"));

    // the secret works, and its use is recorded
    assertThat(graderCall(secret).status()).isEqualTo(404);
    assertThat(
            server.get("/admin/clients/" + id, server.adminToken()).get("last_used_at").isTextual())
        .isTrue();
  }

  @Test
  void aRevokedClientIsRefusedAtOnce() {
    var created = create("revoked-grader");
    long id = created.get("id").asLong();
    String secret = created.get("secret").asText();
    assertThat(graderCall(secret).status()).isEqualTo(404);

    var revoke = server.delete("/admin/clients/" + id, server.adminToken());
    assertThat(revoke.status()).isEqualTo(204);
    var refused = graderCall(secret);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
    assertThat(refused.get("detail").asText()).contains("revoked");
    assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
    var shown = server.get("/admin/clients/" + id, server.adminToken());
    assertThat(shown.get("revoked").asBoolean()).isTrue();
    assertThat(shown.get("revoked_at").isTextual()).isTrue();
    assertThat(server.delete("/admin/clients/999999", server.adminToken()).status()).isEqualTo(404);
    assertThat(server.get("/admin/clients/999999", server.adminToken()).status()).isEqualTo(404);
  }

  @Test
  void aRevocationOnAnotherInstanceIsSeenWithoutWaitingForTheCache() throws Exception {
    var created = create("two-instances");
    long id = created.get("id").asLong();
    String secret = created.get("secret").asText();
    assertThat(graderCall(secret).status()).as("cached by this instance").isEqualTo(404);
    // another instance revokes: it writes the shared marker and the database, not our cache
    try (var other = SkillQuestServer.start(server.server().config())) {
      var delete =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + other.port() + "/api/v1/admin/clients/" + id))
              .header("Authorization", "Bearer " + server.adminToken())
              .DELETE()
              .build();
      var response = HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(204);
    }
    assertThat(graderCall(secret).status()).isEqualTo(401);
  }

  @Test
  void lastUsedAtIsWrittenOnceAMinuteNotOnEveryRequest() {
    var created = create("busy-but-cheap");
    long id = created.get("id").asLong();
    String secret = created.get("secret").asText();
    assertThat(graderCall(secret).status()).isEqualTo(404);
    // xmin names the transaction that last wrote the row: it moves with every UPDATE
    String sql = "SELECT xmin::text FROM api_clients WHERE id = :id";
    String afterFirst =
        server.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).one());
    for (int i = 0; i < 3; i++) {
      assertThat(graderCall(secret).status()).isEqualTo(404);
    }
    String afterMore =
        server.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).one());
    assertThat(afterMore).isEqualTo(afterFirst);
  }

  @Test
  void whileRedisIsDownTheDatabaseDecidesAndRevokingWaits() {
    TestStores.redis(); // skips this test when Redis is not embedded
    var kept = create("kept-in-outage");
    var dropped = create("dropped-in-outage");
    long droppedId = dropped.get("id").asLong();
    assertThat(graderCall(kept.get("secret").asText()).status()).isEqualTo(404);
    assertThat(graderCall(dropped.get("secret").asText()).status()).isEqualTo(404);
    String admin = server.adminToken();
    try (var outage = TestStores.redisOutage()) {
      var refused = server.delete("/admin/clients/" + droppedId, admin);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isNotNull();
      assertThat(server.get("/admin/clients/" + droppedId, admin).get("revoked").asBoolean())
          .as("nothing changed")
          .isFalse();
      // revoked in the database alone (say by an operator in SQL): without the marker store, the
      // database is asked on every request, so the cached credential does not keep it alive
      server
          .jdbi()
          .useHandle(
              h -> h.execute("UPDATE api_clients SET revoked_at = now() WHERE id = ?", droppedId));
      assertThat(graderCall(dropped.get("secret").asText()).status()).isEqualTo(401);
      assertThat(graderCall(kept.get("secret").asText()).status()).isEqualTo(404);
    }
  }

  @Test
  void creatingAndRevokingLeaveAuditLines() {
    var original = System.err;
    var captured = new ByteArrayOutputStream();
    long id;
    String secret;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      var created = create("audited");
      id = created.get("id").asLong();
      secret = created.get("secret").asText();
      assertThat(server.delete("/admin/clients/" + id, server.adminToken()).status())
          .isEqualTo(204);
    } finally {
      System.setErr(original);
    }
    var log = captured.toString(StandardCharsets.UTF_8);
    original.print(log);
    assertThat(log)
        .contains("audit action=client.create target=client:" + id + " actor_id=")
        .contains("audit action=client.revoke target=client:" + id + " actor_id=")
        .contains("actor=admin")
        .as("no secret in the logs")
        .doesNotContain(secret.substring(20));
  }

  @Test
  void unknownAndMalformedSecretsAre401() {
    var real = create("real").get("secret").asText();
    var wrongRandom = real.substring(0, real.length() - 4) + "AAAA";
    for (var bad : List.of(wrongRandom, "sq_0123456789abcdef_nope", "sq_short", "sq_")) {
      var r = graderCall(bad);
      assertThat(r.status()).as(bad + " " + r).isEqualTo(401);
      assertThat(r.get("detail").asText()).doesNotContain("revoked");
    }
    assertThat(graderCall(null).status()).isEqualTo(401);
  }

  @Test
  void aClientSecretNeverWorksOnARouteOfPeople() {
    String secret = create("no-user-routes").get("secret").asText();
    for (var path :
        List.of("/challenges", "/auth/me", "/users/me/progress", "/attempts", "/admin/clients")) {
      var r = server.get(path, secret);
      assertThat(r.status()).as(path + " " + r).isEqualTo(401);
      assertThat(r.get("detail").asText()).contains("API client secret");
    }
    long challenge = Fixtures.publishedChallenge(server, 10);
    var start = server.post("/attempts", Map.of("challenge_id", challenge), secret);
    assertThat(start.status()).isEqualTo(401);
  }

  @Test
  void aUserTokenIsForbiddenOnAGraderRoute() {
    var user = server.registerAndLogin("notagrader");
    var r = graderCall(user.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(403);
    assertThat(r.get("detail").asText()).contains("API clients");
    var admin = graderCall(server.adminToken());
    assertThat(admin.status()).as("admins are people too").isEqualTo(403);
    var results =
        server.post(
            "/grader/results",
            Map.of("user_id", user.userId(), "challenge_id", 1, "score", 1),
            user.access());
    assertThat(results.status()).isEqualTo(403);
  }

  @Test
  void eachClientIsRateLimitedWithRetryAfter() {
    String secret = create("busy-grader").get("secret").asText();
    String other = create("quiet-grader").get("secret").asText();
    for (int i = 0; i < 5; i++) {
      assertThat(graderCall(secret).status()).isEqualTo(404);
    }
    var limited = graderCall(secret);
    assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(graderCall(other).status()).as("another client has its own budget").isEqualTo(404);
  }

  @Test
  void badBodiesNameTheirField() {
    var admin = server.adminToken();
    Map<Object, String> cases =
        Map.of(
            Map.of("scopes", List.of("grade")), "name",
            Map.of("name", "", "scopes", List.of("grade")), "name",
            Map.of("name", "x".repeat(101), "scopes", List.of("grade")), "name",
            Map.of("name", "n"), "scopes",
            Map.of("name", "n", "scopes", List.of()), "scopes",
            Map.of("name", "n", "scopes", List.of("grade", "admin")), "scopes[1]");
    cases.forEach(
        (body, field) -> {
          var r = server.post("/admin/clients", body, admin);
          assertThat(r.status()).as(body + " " + r).isEqualTo(400);
          assertThat(r.get("errors").has(field)).as(body + " " + r).isTrue();
        });
    var nullScope = server.post("/admin/clients", "{\"name\":\"n\",\"scopes\":[null]}", admin);
    assertThat(nullScope.status()).as(nullScope.toString()).isEqualTo(400);
    assertThat(nullScope.get("errors").has("scopes[0]")).isTrue();
    var nullName = server.post("/admin/clients", "{\"name\":null,\"scopes\":[\"grade\"]}", admin);
    assertThat(nullName.get("errors").has("name")).as(nullName.toString()).isTrue();
    var wrongType = server.post("/admin/clients", "{\"name\":\"n\",\"scopes\":\"grade\"}", admin);
    assertThat(wrongType.status()).isEqualTo(400);
    var unknown =
        server.post("/admin/clients", "{\"name\":\"n\",\"scopes\":[\"grade\"],\"x\":1}", admin);
    assertThat(unknown.status()).isEqualTo(400);
    long created =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM api_clients WHERE name IN ('n', '')")
                        .mapTo(long.class)
                        .one());
    assertThat(created).as("nothing was created").isZero();
    var user = server.registerAndLogin("notadmin");
    assertThat(
            server
                .post(
                    "/admin/clients",
                    Map.of("name", "x", "scopes", List.of("grade")),
                    user.access())
                .status())
        .isEqualTo(403);
  }
}
