package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API as clients nobody on the project wrote meet it: generated clients that attach a stale
 * bearer to every call, OAuth2 libraries, strict HTTP tooling.
 */
class ClientContractTest {
  /** The operations documented as never reading Authorization ({@code security: []}). */
  private static final List<String> IGNORE_AUTHORIZATION =
      List.of(
          "post /api/v1/auth/register",
          "post /api/v1/auth/login",
          "post /api/v1/auth/refresh",
          "get /api/v1/health",
          "get /health",
          "get /openapi.json");

  private static final List<String> OPTIONAL_IN_RESPONSES =
      List.of("Problem.errors", "AttemptCountCondition.status");

  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static TestServer.Tokens user;

  @BeforeAll
  static void start() {
    user = server.registerAndLogin("contractuser");
  }

  private static String expiredAccessToken() {
    return JWT.create()
        .withSubject(Long.toString(user.userId()))
        .withClaim("name", user.username())
        .withClaim("role", "user")
        .withClaim("typ", "access")
        .withJWTId(UUID.randomUUID().toString())
        .withClaim("fam", UUID.randomUUID().toString())
        .withIssuedAt(Instant.now().minusSeconds(7200))
        .withExpiresAt(Instant.now().minusSeconds(3600))
        .sign(Algorithm.HMAC256(TestServer.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> staleCredentials() {
    return List.of(
        "Bearer " + expiredAccessToken(), "Bearer garbage", "Basic Og==", "Negotiate abc");
  }

  private static TestServer.Response send(
      String method, String path, String body, String contentType, String authorization) {
    var headers = new java.util.LinkedHashMap<String, String>();
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return server.send(
        method,
        path,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body),
        headers);
  }

  private static JsonNode document() {
    return server.call("GET", "/openapi.json", null, null).body();
  }

  // ---- PATCH bodies ----

  @Test
  void patchBodiesDeclareNoDefaults() {
    var doc = document();
    var patchSchemas = new ArrayList<String>();
    doc.get("paths")
        .forEach(
            item -> {
              var patch = item.path("patch");
              var ref =
                  patch
                      .path("requestBody")
                      .path("content")
                      .path("application/json")
                      .path("schema")
                      .path("$ref")
                      .asText();
              if (!ref.isEmpty()) {
                patchSchemas.add(ref.substring(ref.lastIndexOf('/') + 1));
              }
            });
    assertThat(patchSchemas).contains("ChallengePatch", "BadgePatch");
    for (var name : patchSchemas) {
      var schema = doc.get("components").get("schemas").get(name);
      assertThat(schema.path("required").size()).as(name + " required").isZero();
      schema
          .get("properties")
          .fields()
          .forEachRemaining(
              p -> assertThat(p.getValue().has("default")).as(name + "." + p.getKey()).isFalse());
    }
  }

  @Test
  void aOneFieldPatchChangesOneField() {
    long id = Fixtures.challenge(server, "Original", 70, 75, true, List.of("java", "sql"));
    var admin = server.adminToken();
    var before = server.get("/challenges/" + id, admin).body();
    var after = server.patch("/challenges/" + id, Map.of("title", "Renamed"), admin).body();
    assertThat(after.get("title").asText()).isEqualTo("Renamed");
    for (var field :
        List.of("description", "xp", "difficulty", "tags", "pass_score", "published")) {
      assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
    }
  }

  @Test
  void nullTagsInAPatchClearThem() {
    long id = Fixtures.challenge(server, "Tagged", 10, 60, true, List.of("a", "b"));
    var body = new java.util.HashMap<String, Object>();
    body.put("tags", null);
    var r = server.patch("/challenges/" + id, body, server.adminToken());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("tags")).isEmpty();
    assertThat(r.get("title").asText()).isEqualTo("Tagged");
  }

  // ---- the document, for generators ----

  @Test
  void everyOperationHasACamelCaseOperationIdAndADescription() {
    var ids = new java.util.HashSet<String>();
    operations(document())
        .forEach(
            (name, op) -> {
              var id = op.path("operationId").asText();
              assertThat(id).as(name).matches("[a-z][a-zA-Z]+");
              assertThat(ids.add(id)).as("unique " + id).isTrue();
              assertThat(op.path("description").asText()).as(name).isNotBlank();
            });
    assertThat(ids)
        .contains("listChallenges", "createChallenge", "updateChallenge", "submitAttempt");
  }

  @Test
  void bodiesAreNamedSchemasAndErrorsAreProblems() {
    var doc = document();
    operations(doc)
        .forEach(
            (name, op) -> {
              op.path("requestBody")
                  .path("content")
                  .forEach(
                      media ->
                          assertThat(media.path("schema").has("$ref"))
                              .as(name + " request body")
                              .isTrue());
              op.path("responses")
                  .fields()
                  .forEachRemaining(
                      r -> {
                        var response = resolve(doc, r.getValue());
                        response
                            .path("content")
                            .fields()
                            .forEachRemaining(
                                media -> {
                                  var schema = media.getValue().path("schema");
                                  var where = name + " " + r.getKey() + " " + media.getKey();
                                  if (media.getKey().equals("application/problem+json")) {
                                    assertThat(schema.path("$ref").asText())
                                        .as(where)
                                        .isIn(
                                            "#/components/schemas/Problem",
                                            "#/components/schemas/HealthProblem");
                                  } else if (media.getKey().equals("application/json")
                                      && !name.equals("get /openapi.json")) {
                                    var named =
                                        schema.has("$ref") || schema.path("items").has("$ref");
                                    assertThat(named).as(where + " named schema").isTrue();
                                  }
                                });
                        if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                          assertThat(response.path("content").has("application/problem+json"))
                              .as(name + " " + r.getKey() + " is a problem")
                              .isTrue();
                        }
                      });
            });
  }

  @Test
  void everyFieldOfAResponseSchemaIsRequired() {
    // the server writes every field of its records, null included, so a client may rely on each
    var doc = document();
    var schemas = doc.get("components").get("schemas");
    var names = new java.util.TreeSet<String>();
    doc.get("paths")
        .findValues("responses")
        .forEach(
            responses ->
                responses.forEach(
                    r ->
                        resolve(doc, r)
                            .path("content")
                            .findValues("$ref")
                            .forEach(ref -> collect(schemas, ref.asText(), names))));
    assertThat(names).contains("Attempt", "Progress", "AttemptCounts", "BadgeSummary", "Badge");
    for (var name : names) {
      var schema = schemas.get(name);
      if (!schema.has("properties")) {
        continue; // oneOf / allOf compositions: their parts are checked on their own
      }
      var required = new java.util.HashSet<String>();
      schema.path("required").forEach(n -> required.add(n.asText()));
      schema
          .get("properties")
          .fieldNames()
          .forEachRemaining(
              field -> {
                // the two fields written only when they carry something
                if (!OPTIONAL_IN_RESPONSES.contains(name + "." + field)) {
                  assertThat(required).as(name + "." + field).contains(field);
                }
              });
    }
  }

  private static void collect(JsonNode schemas, String ref, java.util.Set<String> names) {
    var name = ref.substring(ref.lastIndexOf('/') + 1);
    if (names.add(name)) {
      schemas.get(name).findValues("$ref").forEach(r -> collect(schemas, r.asText(), names));
    }
  }

  private static JsonNode resolve(JsonNode doc, JsonNode node) {
    var ref = node.path("$ref").asText();
    if (ref.isEmpty()) {
      return node;
    }
    return doc.get("components").get("responses").get(ref.substring(ref.lastIndexOf('/') + 1));
  }

  private static Map<String, JsonNode> operations(JsonNode doc) {
    var ops = new java.util.TreeMap<String, JsonNode>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          if (!op.getKey().equals("parameters")) {
                            ops.put(op.getKey() + " " + path.getKey(), op.getValue());
                          }
                        }));
    assertThat(ops).hasSizeGreaterThan(20);
    return ops;
  }

  // ---- Authorization on open routes ----

  @Test
  void authHealthMetricsAndDocsIgnoreTheAuthorizationHeader() {
    int n = 0;
    for (var stale : staleCredentials()) {
      n++;
      var name = "ignoring" + n;
      var register =
          send(
              "POST",
              "/api/v1/auth/register",
              TestServer.toJson(
                  Map.of(
                      "username",
                      name,
                      "email",
                      name + "@example.test",
                      "password",
                      TestServer.passwordOf(name))),
              "application/json",
              stale);
      assertThat(register.status()).as(stale + " register " + register).isEqualTo(201);
      var login =
          send(
              "POST",
              "/api/v1/auth/login",
              TestServer.toJson(Map.of("username", name, "password", TestServer.passwordOf(name))),
              "application/json",
              stale);
      assertThat(login.status()).as(stale + " login " + login).isEqualTo(200);
      var refresh =
          send(
              "POST",
              "/api/v1/auth/refresh",
              TestServer.toJson(Map.of("refresh_token", login.get("refresh_token").asText())),
              "application/json",
              stale);
      assertThat(refresh.status()).as(stale + " refresh " + refresh).isEqualTo(200);
      for (var path :
          List.of(
              "/health",
              "/api/v1/health",
              "/openapi.json",
              "/docs",
              "/docs/assets/swagger-ui.css",
              "/",
              "/web/app.css")) {
        var r = send("GET", path, null, null, stale);
        assertThat(r.status()).as(stale + " " + path + " " + r).isEqualTo(200);
      }
    }
  }

  @Test
  void otherRoutesGivenAnInvalidTokenAnswer401AndSaySoInTheDocument() {
    for (var stale : staleCredentials()) {
      for (var path : List.of("/api/v1/challenges", "/api/v1/leaderboard", "/api/v1/auth/me")) {
        var r = send("GET", path, null, null, stale);
        assertThat(r.status()).as(stale + " " + path).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
      }
    }
    var doc = document();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          if (op.getKey().equals("parameters")) {
                            return;
                          }
                          var name = op.getKey() + " " + path.getKey();
                          var security = op.getValue().get("security");
                          assertThat(security).as(name + " security").isNotNull();
                          if (security.isEmpty()) {
                            assertThat(IGNORE_AUTHORIZATION).as(name).contains(name);
                          } else {
                            assertThat(op.getValue().path("responses").has("401"))
                                .as(name + " documents 401")
                                .isTrue();
                          }
                        }));
  }

  // ---- OAuth2 password grant ----

  @Test
  void theFormGrantAnswersErrorsInRfc6749Form() {
    var wrongPassword =
        server.postForm(
            "/auth/login",
            Map.of("grant_type", "password", "username", user.username(), "password", "nope"));
    assertThat(wrongPassword.status()).isEqualTo(400);
    assertThat(wrongPassword.header("Content-Type")).startsWith("application/json");
    assertThat(wrongPassword.get("error").asText()).isEqualTo("invalid_grant");
    assertThat(wrongPassword.get("error_description").asText()).isNotBlank();
    assertThat(wrongPassword.header("Cache-Control")).isEqualTo("no-store");

    var otherGrant =
        server.postForm(
            "/auth/login",
            Map.of("grant_type", "client_credentials", "username", "x", "password", "y"));
    assertThat(otherGrant.status()).isEqualTo(400);
    assertThat(otherGrant.get("error").asText()).isEqualTo("unsupported_grant_type");

    var missing = server.postForm("/auth/login", Map.of("grant_type", "password"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.get("error").asText()).isEqualTo("invalid_request");

    var json =
        server.post("/auth/login", Map.of("username", user.username(), "password", "nope"), null);
    assertThat(json.status()).isEqualTo(401);
    assertThat(json.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void theFormGrantWorksWithSwaggerUisBasicHeader() {
    var r =
        send(
            "POST",
            "/api/v1/auth/login",
            "grant_type=password&username="
                + user.username()
                + "&password="
                + TestServer.passwordOf(user.username()),
            "application/x-www-form-urlencoded",
            "Basic Og==");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("token_type").asText()).isEqualTo("bearer");
  }

  // ---- HTTP semantics ----

  @Test
  void aJsonBodyWithAnotherContentTypeIs415() {
    var body =
        TestServer.toJson(
            Map.of("username", "typed", "email", "typed@example.test", "password", "password-1"));
    for (var type : new String[] {"application/x-www-form-urlencoded", "text/plain", null}) {
      var r = send("POST", "/api/v1/auth/register", body, type, null);
      assertThat(r.status()).as(type + " " + r).isEqualTo(415);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.get("title").asText()).isEqualTo("Unsupported Media Type");
    }
    var ok = send("POST", "/api/v1/auth/register", body, "application/json; charset=utf-8", null);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
  }

  @Test
  void aWrongMethodOnAKnownPathIs405WithAllow() {
    var collection = send("PUT", "/api/v1/challenges", "{}", "application/json", null);
    assertThat(collection.status()).isEqualTo(405);
    assertThat(collection.header("Content-Type")).startsWith("application/problem+json");
    assertThat(allow(collection)).contains("GET", "POST").doesNotContain("PUT");

    var item = send("POST", "/api/v1/challenges/5", "{}", "application/json", null);
    assertThat(item.status()).isEqualTo(405);
    assertThat(allow(item)).contains("GET", "PATCH", "DELETE").doesNotContain("POST");

    assertThat(send("PUT", "/api/v1/no-such-thing", "{}", "application/json", null).status())
        .isEqualTo(404);
  }

  private static List<String> allow(TestServer.Response r) {
    assertThat(r.header("Allow")).as("Allow on " + r).isNotNull();
    return List.of(r.header("Allow").split("\\s*,\\s*"));
  }

  @Test
  void aMalformedPathIdIs400() {
    for (var id : List.of("abc", "0", "-1", "1.5", "99999999999999999999")) {
      var r = server.get("/challenges/" + id, null);
      assertThat(r.status()).as(id + " " + r).isEqualTo(400);
      assertThat(r.get("title").asText()).isEqualTo("Bad Request");
      assertThat(server.get("/attempts/" + id, user.access()).status()).as(id).isEqualTo(400);
    }
    assertThat(server.get("/challenges/999999999", null).status()).isEqualTo(404);
  }

  @Test
  void every400HasTheSameTitle() {
    var titles = new java.util.HashSet<String>();
    titles.add(server.post("/auth/register", "{not json", null).get("title").asText());
    titles.add(server.post("/auth/register", Map.of("username", "x"), null).get("title").asText());
    titles.add(server.get("/leaderboard?limit=0", null).get("title").asText());
    titles.add(
        server
            .post("/attempts/1/submit", Map.of("score", "high"), user.access())
            .get("title")
            .asText());
    assertThat(titles).containsExactly("Bad Request");
  }

  @Test
  void emptyResponsesCarryNoTextPlainContentType() {
    long id = Fixtures.challenge(server, "Doomed", 10, 60, true, List.of());
    var deleted = server.delete("/challenges/" + id, server.adminToken());
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.header("Content-Type")).isNull();

    var throwaway = server.registerAndLogin("logsout");
    var logout = server.post("/auth/logout", null, throwaway.access());
    assertThat(logout.status()).isEqualTo(204);
    assertThat(logout.header("Content-Type")).isNull();

    var head = send("HEAD", "/health", null, null, null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Type")).isNotNull().doesNotStartWith("text/plain");
  }

  @Test
  void theServedDocumentIsTheFileInTheRepository() throws Exception {
    var served = server.call("GET", "/openapi.json", null, null).text();
    try (var in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
      assertThat(served).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    var onDisk =
        java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/openapi.json"));
    assertThat(served).isEqualTo(onDisk);
  }
}
