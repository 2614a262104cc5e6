package io.skillquest.server.challenge;

import static io.skillquest.server.challenge.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChallengeRoutesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static String admin;
  static String user;

  @BeforeAll
  static void start() {
    admin = server.adminToken();
    user = server.registerAndLogin("player").access();
  }

  private static TestServer.Response create(Object body) {
    return server.post("/challenges", body, admin);
  }

  private static List<String> titles(JsonNode items) {
    return StreamSupport.stream(items.spliterator(), false)
        .map(n -> n.path("title").asText())
        .toList();
  }

  private static void assertInvalid(TestServer.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.get("errors").has(field)).as(r.toString()).isTrue();
  }

  @Test
  void createAppliesDefaultsAndPointsToTheNewChallenge() {
    var r = create(Map.of("title", "Hello", "xp", 100, "difficulty", "easy"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    long id = r.get("id").asLong();
    assertThat(r.header("Location")).isEqualTo("/api/v1/challenges/" + id);
    assertThat(r.get("title").asText()).isEqualTo("Hello");
    assertThat(r.get("description").asText()).isEmpty();
    assertThat(r.get("xp").asInt()).isEqualTo(100);
    assertThat(r.get("difficulty").asText()).isEqualTo("easy");
    assertThat(r.get("tags").isArray()).isTrue();
    assertThat(r.get("tags")).isEmpty();
    assertThat(r.get("pass_score").asInt()).isEqualTo(60);
    assertThat(r.get("published").asBoolean()).isFalse();
    assertThat(r.get("created_at").isTextual()).isTrue();
    assertThat(r.get("updated_at").isTextual()).isTrue();
    assertThat(r.body().has("deleted_at")).isFalse();
    assertThat(server.get("/challenges/" + id, admin).body()).isEqualTo(r.body());
  }

  @Test
  void tagsAreTrimmedLowerCasedAndDistinct() {
    var r =
        create(
            json(
                "title",
                "Tags",
                "xp",
                1,
                "difficulty",
                "hard",
                "tags",
                List.of(" Java ", "java", "SQL")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.get("tags").toString()).isEqualTo("[\"java\",\"sql\"]");
  }

  @Test
  void sqlMetacharactersAreStoredAsData() {
    var title = "Robert'); DROP TABLE challenges; --";
    var tag = "o'reilly%_\\";
    var r =
        create(
            json(
                "title",
                title,
                "description",
                "\"; DELETE FROM users; --",
                "xp",
                5,
                "difficulty",
                "easy",
                "tags",
                List.of(tag),
                "published",
                true));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    var got = server.get("/challenges/" + r.get("id").asLong(), null);
    assertThat(got.get("title").asText()).isEqualTo(title);
    assertThat(got.get("description").asText()).isEqualTo("\"; DELETE FROM users; --");
    assertThat(got.get("tags").get(0).asText()).isEqualTo(tag);
    var byTag = server.get("/challenges?tag=o%27reilly%25_%5C", null);
    assertThat(byTag.status()).as(byTag.toString()).isEqualTo(200);
    assertThat(titles(byTag.get("items"))).containsExactly(title);
    // a LIKE-style wildcard is not a wildcard
    assertThat(server.get("/challenges?tag=%25", null).get("total").asLong()).isZero();
  }

  @Test
  void createRejectsMissingAndOutOfRangeFields() {
    var missing = create(Map.of());
    assertInvalid(missing, "title");
    assertThat(missing.get("errors").has("xp")).isTrue();
    assertThat(missing.get("errors").has("difficulty")).isTrue();

    assertInvalid(create(Map.of("title", "x", "xp", -1, "difficulty", "easy")), "xp");
    assertInvalid(create(Map.of("title", "x", "xp", 1_000_001, "difficulty", "easy")), "xp");
    assertInvalid(create(Map.of("title", "x", "xp", 1, "difficulty", "insane")), "difficulty");
    assertInvalid(
        create(Map.of("title", "x", "xp", 1, "difficulty", "easy", "pass_score", 101)),
        "pass_score");
    assertInvalid(
        create(Map.of("title", "x", "xp", 1, "difficulty", "easy", "pass_score", -1)),
        "pass_score");
    assertInvalid(create(Map.of("title", "", "xp", 1, "difficulty", "easy")), "title");
    assertInvalid(create(Map.of("title", "t".repeat(201), "xp", 1, "difficulty", "easy")), "title");
    assertInvalid(
        create(
            Map.of("title", "x", "xp", 1, "difficulty", "easy", "description", "d".repeat(20_001))),
        "description");
    var tooMany = new ArrayList<String>();
    for (int i = 0; i < 21; i++) {
      tooMany.add("t" + i);
    }
    assertInvalid(
        create(Map.of("title", "x", "xp", 1, "difficulty", "easy", "tags", tooMany)), "tags");
    assertInvalid(
        create(
            Map.of(
                "title",
                "x",
                "xp",
                1,
                "difficulty",
                "easy",
                "tags",
                List.of("ok", "x".repeat(65)))),
        "tags[1]");
    assertInvalid(
        create(Map.of("title", "x", "xp", 1, "difficulty", "easy", "tags", List.of("  "))),
        "tags[0]");
    // boundaries are accepted
    assertThat(
            create(
                    Map.of(
                        "title",
                        "t".repeat(200),
                        "xp",
                        1_000_000,
                        "difficulty",
                        "expert",
                        "pass_score",
                        100,
                        "tags",
                        Collections.nCopies(20, "same")))
                .status())
        .isEqualTo(201);
    assertThat(
            create(Map.of("title", "zero", "xp", 0, "difficulty", "easy", "pass_score", 0))
                .status())
        .isEqualTo(201);
  }

  @Test
  void createRejectsWrongTypesUnknownFieldsAndMalformedBodies() {
    assertInvalid(create("{\"title\":\"x\",\"xp\":\"100\",\"difficulty\":\"easy\"}"), "xp");
    assertInvalid(create("{\"title\":\"x\",\"xp\":10.5,\"difficulty\":\"easy\"}"), "xp");
    assertInvalid(
        create("{\"title\":\"x\",\"xp\":1,\"difficulty\":\"easy\",\"published\":\"yes\"}"),
        "published");
    assertInvalid(
        create("{\"title\":\"x\",\"xp\":1,\"difficulty\":\"easy\",\"tags\":\"java\"}"), "tags");
    assertInvalid(
        create("{\"title\":\"x\",\"xp\":1,\"difficulty\":\"easy\",\"owner\":1}"), "owner");
    for (var body : List.of("{\"title\":", "null", "[1]", "42", "")) {
      var r = create(body);
      assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
    }
    var huge = create("{\"title\":\"x\",\"xp\":99999999999999999999999,\"difficulty\":\"easy\"}");
    assertThat(huge.status()).as(huge.toString()).isEqualTo(400);
    long stored =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM challenges WHERE title = 'x'")
                        .mapTo(long.class)
                        .one());
    assertThat(stored).isZero();
  }

  @Test
  void writesNeedAnAdmin() {
    long id = Fixtures.publishedChallenge(server, 10);
    var body = Map.of("title", "x", "xp", 1, "difficulty", "easy");
    assertThat(server.post("/challenges", body, null).status()).isEqualTo(401);
    assertThat(server.post("/challenges", body, user).status()).isEqualTo(403);
    assertThat(server.patch("/challenges/" + id, Map.of("xp", 1), null).status()).isEqualTo(401);
    assertThat(server.patch("/challenges/" + id, Map.of("xp", 1), user).status()).isEqualTo(403);
    assertThat(server.delete("/challenges/" + id, null).status()).isEqualTo(401);
    assertThat(server.delete("/challenges/" + id, user).status()).isEqualTo(403);
    assertThat(server.get("/challenges/" + id, null).get("xp").asInt()).isEqualTo(10);
  }

  @Test
  void listShowsPublishedChallengesToEveryoneAndAllToAdmins() {
    var tag = "listing";
    Fixtures.challenge(server, "published one", 10, 60, true, List.of(tag));
    Fixtures.challenge(server, "draft", 10, 60, false, List.of(tag));
    long gone = Fixtures.challenge(server, "deleted", 10, 60, true, List.of(tag));
    assertThat(server.delete("/challenges/" + gone, admin).status()).isEqualTo(204);

    var anonymous = server.get("/challenges?tag=" + tag, null);
    assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
    assertThat(titles(anonymous.get("items"))).containsExactly("published one");
    assertThat(anonymous.get("total").asLong()).isEqualTo(1);
    assertThat(anonymous.get("limit").asInt()).isEqualTo(20);
    assertThat(anonymous.get("offset").asInt()).isZero();
    assertThat(titles(server.get("/challenges?tag=" + tag, user).get("items")))
        .containsExactly("published one");
    assertThat(titles(server.get("/challenges?tag=LISTING", admin).get("items")))
        .containsExactly("published one", "draft");
  }

  @Test
  void listFiltersByDifficultyAndPages() {
    var tag = "paging";
    for (var difficulty : List.of("easy", "hard", "hard", "hard")) {
      var r =
          create(
              json(
                  "title",
                  difficulty + " one",
                  "xp",
                  1,
                  "difficulty",
                  difficulty,
                  "tags",
                  List.of(tag),
                  "published",
                  true));
      assertThat(r.status()).isEqualTo(201);
    }
    var hard = server.get("/challenges?tag=" + tag + "&difficulty=hard&limit=2&offset=1", null);
    assertThat(hard.status()).as(hard.toString()).isEqualTo(200);
    assertThat(hard.get("items")).hasSize(2);
    assertThat(hard.get("total").asLong()).isEqualTo(3);
    assertThat(hard.get("limit").asInt()).isEqualTo(2);
    assertThat(hard.get("offset").asInt()).isEqualTo(1);
    assertThat(server.get("/challenges?tag=" + tag + "&offset=10", null).get("items")).isEmpty();
    assertThat(server.get("/challenges?tag=" + tag + "&limit=100", null).get("total").asLong())
        .isEqualTo(4);
  }

  @Test
  void listRejectsBadQueryParameters() {
    assertInvalid(server.get("/challenges?limit=0", null), "limit");
    assertInvalid(server.get("/challenges?limit=101", null), "limit");
    assertInvalid(server.get("/challenges?limit=ten", null), "limit");
    assertInvalid(server.get("/challenges?offset=-1", null), "offset");
    assertInvalid(server.get("/challenges?difficulty=impossible", null), "difficulty");
    assertInvalid(server.get("/challenges?difficulty=%27%20OR%201=1", null), "difficulty");
  }

  @Test
  void unpublishedChallengesAreNotFoundExceptForAdmins() {
    long draft = Fixtures.challenge(server, "secret", 10, 60, false, List.of());
    assertThat(server.get("/challenges/" + draft, null).status()).isEqualTo(404);
    assertThat(server.get("/challenges/" + draft, user).status()).isEqualTo(404);
    assertThat(server.get("/challenges/" + draft, admin).status()).isEqualTo(200);
  }

  @Test
  void malformedIdsAre400AndMissingOnes404() {
    for (var path :
        List.of(
            "/challenges/abc",
            "/challenges/0",
            "/challenges/-1",
            "/challenges/999999999",
            "/challenges/99999999999999999999")) {
      var r = server.get(path, admin);
      assertThat(r.status())
          .as(path + " -> " + r)
          .isEqualTo(path.endsWith("/999999999") ? 404 : 400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(server.patch("/challenges/999999999", Map.of("xp", 1), admin).status())
        .isEqualTo(404);
    assertThat(server.patch("/challenges/abc", Map.of("xp", 1), admin).status()).isEqualTo(400);
    assertThat(server.delete("/challenges/999999999", admin).status()).isEqualTo(404);
    assertThat(server.delete("/challenges/abc", admin).status()).isEqualTo(400);
  }

  @Test
  void patchChangesOnlyTheGivenFields() {
    long id = Fixtures.challenge(server, "before", 100, 60, false, List.of("a"));
    var r =
        server.patch(
            "/challenges/" + id,
            Map.of("title", "after", "tags", List.of("B", "c"), "published", true),
            admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("title").asText()).isEqualTo("after");
    assertThat(r.get("tags").toString()).isEqualTo("[\"b\",\"c\"]");
    assertThat(r.get("published").asBoolean()).isTrue();
    assertThat(r.get("xp").asInt()).isEqualTo(100);
    assertThat(r.get("pass_score").asInt()).isEqualTo(60);
    assertThat(r.get("difficulty").asText()).isEqualTo("medium");
    assertThat(r.get("updated_at").asText()).isGreaterThan(r.get("created_at").asText());

    var more =
        server.patch(
            "/challenges/" + id,
            Map.of(
                "xp",
                0,
                "pass_score",
                90,
                "difficulty",
                "expert",
                "description",
                "now described",
                "tags",
                List.of()),
            admin);
    assertThat(more.status()).as(more.toString()).isEqualTo(200);
    assertThat(more.get("xp").asInt()).isZero();
    assertThat(more.get("pass_score").asInt()).isEqualTo(90);
    assertThat(more.get("difficulty").asText()).isEqualTo("expert");
    assertThat(more.get("description").asText()).isEqualTo("now described");
    assertThat(more.get("tags")).isEmpty();
    assertThat(more.get("title").asText()).isEqualTo("after");
    assertThat(server.get("/challenges/" + id, null).body()).isEqualTo(more.body());
  }

  @Test
  void patchRejectsNullsBadValuesAndUnknownFields() {
    long id = Fixtures.challenge(server, "stable", 100, 60, true, List.of());
    assertInvalid(server.patch("/challenges/" + id, json("title", null), admin), "title");
    assertInvalid(server.patch("/challenges/" + id, json("xp", null), admin), "xp");
    assertInvalid(server.patch("/challenges/" + id, json("published", null), admin), "published");
    assertInvalid(server.patch("/challenges/" + id, Map.of("xp", 2_000_000), admin), "xp");
    assertInvalid(
        server.patch("/challenges/" + id, Map.of("difficulty", "trivial"), admin), "difficulty");
    assertInvalid(
        server.patch("/challenges/" + id, Map.of("pass_score", "high"), admin), "pass_score");
    assertInvalid(
        server.patch("/challenges/" + id, Map.of("deleted_at", "2020-01-01T00:00:00Z"), admin),
        "deleted_at");
    assertThat(server.patch("/challenges/" + id, "[]", admin).status()).isEqualTo(400);
    var unchanged = server.get("/challenges/" + id, null);
    assertThat(unchanged.get("title").asText()).isEqualTo("stable");
    assertThat(unchanged.get("xp").asInt()).isEqualTo(100);
  }

  @Test
  void deleteIsSoftAndHidesTheChallengeFromEveryone() {
    long id = Fixtures.publishedChallenge(server, 10);
    var r = server.delete("/challenges/" + id, admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    assertThat(r.text()).isEmpty();
    assertThat(server.get("/challenges/" + id, null).status()).isEqualTo(404);
    assertThat(server.get("/challenges/" + id, admin).status()).isEqualTo(404);
    assertThat(server.patch("/challenges/" + id, Map.of("xp", 1), admin).status()).isEqualTo(404);
    assertThat(server.delete("/challenges/" + id, admin).status()).isEqualTo(404);
    boolean deletedAt =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT deleted_at IS NOT NULL FROM challenges WHERE id = :id")
                        .bind("id", id)
                        .mapTo(boolean.class)
                        .one());
    assertThat(deletedAt).isTrue();
  }
}
