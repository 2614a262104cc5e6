package io.skillquest.server.badge;

import static io.skillquest.server.challenge.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Badge routes; without the worker so revisions are not backfilled under the test's feet. */
class BadgeRoutesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static String admin;
  static String user;

  @BeforeAll
  static void start() {
    admin = server.adminToken();
    user = server.registerAndLogin("ivy").access();
  }

  private static TestServer.Response create(Object body) {
    return server.post("/badges", body, admin);
  }

  private static long created(String name, Object condition) {
    var r = create(Map.of("name", name, "condition", condition));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
  }

  private static int revision(long id) {
    return server
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT revision FROM badges WHERE id = :id")
                    .bind("id", id)
                    .mapTo(int.class)
                    .one());
  }

  private static void assertInvalid(TestServer.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.get("errors").has(field)).as(r.toString()).isTrue();
  }

  @Test
  void createStoresTheCanonicalConditionAndStartsUnbackfilled() {
    var r =
        create(
            "{\"name\":\"Thousand\",\"description\":\"1k XP\",\"icon_url\":\"https://cdn.example/1k.png\","
                + "\"condition\":{\"threshold\":1000,\"type\":\"xp\"}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long id = r.get("id").asLong();
    assertThat(r.header("Location")).isEqualTo("/api/v1/badges/" + id);
    assertThat(r.get("name").asText()).isEqualTo("Thousand");
    assertThat(r.get("description").asText()).isEqualTo("1k XP");
    assertThat(r.get("icon_url").asText()).isEqualTo("https://cdn.example/1k.png");
    assertThat(r.get("condition").toString()).isEqualTo("{\"type\":\"xp\",\"threshold\":1000}");
    assertThat(r.get("created_at").isTextual()).isTrue();
    int backfilled =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT backfilled_revision FROM badges WHERE id = :id")
                        .bind("id", id)
                        .mapTo(int.class)
                        .one());
    assertThat(revision(id)).isEqualTo(1);
    assertThat(backfilled).isZero();

    assertThat(server.get("/badges/" + id, null).body()).isEqualTo(r.body());
    var list = server.get("/badges", null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().isArray()).isTrue();
    assertThat(list.body()).anySatisfy(b -> assertThat(b.path("id").asLong()).isEqualTo(id));
  }

  @Test
  void nestedConditionsRoundTrip() {
    var condition =
        Map.of(
            "type",
            "all_of",
            "conditions",
            List.of(
                Map.of("type", "consecutive_days", "days", 7),
                Map.of(
                    "type",
                    "any_of",
                    "conditions",
                    List.of(
                        Map.of("type", "tag_passed", "tag", "java", "count", 5),
                        Map.of("type", "attempt_count", "count", 10)))));
    var r = create(Map.of("name", "Nested", "condition", condition));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(
            r.get("condition")
                .path("conditions")
                .get(1)
                .path("conditions")
                .get(0)
                .path("tag")
                .asText())
        .isEqualTo("java");
    assertThat(r.get("description").asText()).isEmpty();
    assertThat(r.get("icon_url").isNull()).isTrue();
  }

  @Test
  void badConditionsAreRejectedWithTheirPath() {
    assertInvalid(
        create(
            Map.of(
                "name",
                "b1",
                "condition",
                Map.of(
                    "type",
                    "all_of",
                    "conditions",
                    List.of(Map.of("type", "consecutive_days", "days", 0))))),
        "condition.conditions[0].days");
    assertInvalid(
        create(Map.of("name", "b2", "condition", Map.of("type", "karma", "points", 3))),
        "condition.type");
    assertInvalid(
        create(
            Map.of("name", "b3", "condition", Map.of("type", "xp", "threshold", 10, "extra", 1))),
        "condition.extra");
    assertInvalid(
        create(Map.of("name", "b4", "condition", Map.of("type", "xp", "threshold", "10"))),
        "condition.threshold");
    assertInvalid(
        create(Map.of("name", "b5", "condition", Map.of("type", "xp"))), "condition.threshold");
    assertInvalid(create(Map.of("name", "b6", "condition", 5)), "condition");
    assertInvalid(create(Map.of("name", "b7", "condition", List.of())), "condition");
    assertInvalid(
        create(
            Map.of("name", "b8", "condition", Map.of("type", "any_of", "conditions", List.of()))),
        "condition.conditions");
    assertInvalid(create(Map.of("name", "b9")), "condition");
    assertInvalid(create(json("name", "b10", "condition", null)), "condition");
    var r =
        create(
            Map.of(
                "name",
                "b11",
                "condition",
                Map.of("type", "attempt_count", "count", 1, "status", "won")));
    assertInvalid(r, "condition.status");
    assertThat(r.get("detail").asText()).contains("condition.status");
    assertThat(server.get("/badges", null).toString()).doesNotContain("\"b1");
  }

  @Test
  void otherFieldsAreValidated() {
    var xp = Map.of("type", "xp", "threshold", 1);
    assertInvalid(create(Map.of("condition", xp)), "name");
    assertInvalid(create(Map.of("name", "", "condition", xp)), "name");
    assertInvalid(create(Map.of("name", "n".repeat(101), "condition", xp)), "name");
    assertInvalid(
        create(Map.of("name", "d", "description", "d".repeat(2001), "condition", xp)),
        "description");
    for (var url :
        List.of(
            "ftp://example.com/a.png",
            "javascript:alert(1)",
            "not a url",
            "https://",
            "https://example.com/" + "a".repeat(2000))) {
      assertInvalid(create(Map.of("name", "icon", "condition", xp, "icon_url", url)), "icon_url");
    }
    assertInvalid(create(Map.of("name", "u", "condition", xp, "revision", 5)), "revision");
    assertInvalid(create(Map.of("name", 7, "condition", xp)), "name");
    assertInvalid(create(Map.of("name", "typed", "condition", xp, "icon_url", 5)), "icon_url");
    assertThat(create("[]").status()).isEqualTo(400);
    assertThat(create("null").status()).isEqualTo(400);
    assertThat(
            create(
                    Map.of(
                        "name", "http ok", "condition", xp, "icon_url", "http://example.com/x.svg"))
                .status())
        .isEqualTo(201);
  }

  @Test
  void namesAreUniqueIgnoringCase() {
    created("Early Bird", Map.of("type", "xp", "threshold", 5));
    var dup =
        create(Map.of("name", "early bird", "condition", Map.of("type", "xp", "threshold", 6)));
    assertThat(dup.status()).as(dup.toString()).isEqualTo(409);
    long other = created("Night Owl", Map.of("type", "xp", "threshold", 7));
    var renamed = server.patch("/badges/" + other, Map.of("name", "EARLY BIRD"), admin);
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(409);
    assertThat(server.get("/badges/" + other, null).get("name").asText()).isEqualTo("Night Owl");
  }

  @Test
  void changingTheConditionBumpsTheRevision() {
    long id = created("Reviser", Map.of("type", "xp", "threshold", 100));
    var described = server.patch("/badges/" + id, Map.of("description", "now with words"), admin);
    assertThat(described.status()).as(described.toString()).isEqualTo(200);
    assertThat(described.get("description").asText()).isEqualTo("now with words");
    assertThat(revision(id)).isEqualTo(1);

    var same =
        server.patch("/badges/" + id, "{\"condition\":{\"threshold\":100,\"type\":\"xp\"}}", admin);
    assertThat(same.status()).isEqualTo(200);
    assertThat(revision(id)).as("an equal condition is not a change").isEqualTo(1);

    var changed =
        server.patch(
            "/badges/" + id, Map.of("condition", Map.of("type", "level", "level", 3)), admin);
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.get("condition").toString()).isEqualTo("{\"type\":\"level\",\"level\":3}");
    assertThat(changed.get("name").asText()).isEqualTo("Reviser");
    assertThat(revision(id)).isEqualTo(2);
  }

  @Test
  void patchSetsAndClearsTheIconAndRejectsNulls() {
    long id = created("Iconic", Map.of("type", "xp", "threshold", 1));
    var set = server.patch("/badges/" + id, Map.of("icon_url", "https://cdn.example/i.png"), admin);
    assertThat(set.get("icon_url").asText()).isEqualTo("https://cdn.example/i.png");
    assertThat(
            server
                .patch("/badges/" + id, Map.of("name", "Iconic 2"), admin)
                .get("icon_url")
                .asText())
        .isEqualTo("https://cdn.example/i.png");
    var cleared = server.patch("/badges/" + id, json("icon_url", null), admin);
    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    assertThat(cleared.get("icon_url").isNull()).isTrue();

    assertInvalid(server.patch("/badges/" + id, json("name", null), admin), "name");
    assertInvalid(server.patch("/badges/" + id, json("condition", null), admin), "condition");
    assertInvalid(
        server.patch(
            "/badges/" + id, Map.of("condition", Map.of("type", "xp", "threshold", -1)), admin),
        "condition.threshold");
    assertInvalid(
        server.patch("/badges/" + id, Map.of("icon_url", "file:///etc/passwd"), admin), "icon_url");
    assertInvalid(server.patch("/badges/" + id, Map.of("id", 1), admin), "id");
    assertThat(revision(id)).isEqualTo(1);
  }

  @Test
  void deleteRemovesTheBadgeAndItsAwards() {
    var jo = server.registerAndLogin("jojo");
    long id = created("Doomed", Map.of("type", "xp", "threshold", 1));
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO user_badges (user_id, badge_id) VALUES (?, ?)", jo.userId(), id));
    assertThat(server.get("/users/me/badges", jo.access()).body()).hasSize(1);
    var r = server.delete("/badges/" + id, admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    assertThat(server.get("/badges/" + id, null).status()).isEqualTo(404);
    assertThat(server.delete("/badges/" + id, admin).status()).isEqualTo(404);
    assertThat(server.get("/users/me/badges", jo.access()).body()).isEmpty();
  }

  @Test
  void writesNeedAnAdmin() {
    long id = created("Guarded", Map.of("type", "xp", "threshold", 1));
    var body = Map.of("name", "x", "condition", Map.of("type", "xp", "threshold", 1));
    assertThat(server.post("/badges", body, null).status()).isEqualTo(401);
    assertThat(server.post("/badges", body, user).status()).isEqualTo(403);
    assertThat(server.patch("/badges/" + id, Map.of("name", "y"), null).status()).isEqualTo(401);
    assertThat(server.patch("/badges/" + id, Map.of("name", "y"), user).status()).isEqualTo(403);
    assertThat(server.delete("/badges/" + id, null).status()).isEqualTo(401);
    assertThat(server.delete("/badges/" + id, user).status()).isEqualTo(403);
    assertThat(server.get("/badges/" + id, user).get("name").asText()).isEqualTo("Guarded");
  }

  @Test
  void malformedIdsAre400AndMissingOnes404() {
    for (var id : List.of("abc", "0", "999999999")) {
      int expected = id.equals("999999999") ? 404 : 400;
      assertThat(server.get("/badges/" + id, null).status()).as(id).isEqualTo(expected);
      assertThat(server.patch("/badges/" + id, Map.of("name", "z"), admin).status())
          .as(id)
          .isEqualTo(expected);
      assertThat(server.delete("/badges/" + id, admin).status()).as(id).isEqualTo(expected);
    }
  }
}
