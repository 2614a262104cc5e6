package io.skillquest.server.attempt;

import static io.skillquest.server.challenge.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quiz and external challenges through the API with the worker running: the server scores quiz
 * answers, the award follows the usual path, and no player ever receives an answer key.
 */
class QuizAttemptTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  static String admin;
  static long quiz;

  @BeforeAll
  static void start() {
    admin = server.adminToken();
    quiz = createQuiz(questions(1));
  }

  /** q1 (1 point) is right with {@code q1Answer}; q2 (3 points) with choices 0 and 2. */
  static List<Object> questions(int q1Answer) {
    return List.of(
        json(
            "id",
            "q1",
            "prompt",
            "2 + 2?",
            "choices",
            List.of("3", "4"),
            "answer",
            List.of(q1Answer)),
        json(
            "id",
            "q2",
            "prompt",
            "Primes?",
            "choices",
            List.of("2", "4", "5"),
            "answer",
            List.of(0, 2),
            "points",
            3));
  }

  static long createQuiz(List<Object> questions) {
    var r =
        server.post(
            "/challenges",
            json(
                "title",
                "Quiz",
                "xp",
                200,
                "difficulty",
                "easy",
                "published",
                true,
                "scoring",
                "quiz",
                "questions",
                questions),
            admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
  }

  static long started(TestServer.Tokens who, long challenge) {
    var r = server.post("/attempts", Map.of("challenge_id", challenge), who.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.get("id").asLong();
  }

  static TestServer.Response submit(TestServer.Tokens who, long attempt, Object body) {
    return server.post("/attempts/" + attempt + "/submit", body, who.access());
  }

  static JsonNode processed(TestServer.Tokens who, long attempt) {
    TestServer.await(
        "attempt " + attempt + " processed",
        WAIT,
        () -> {
          var status = server.get("/attempts/" + attempt, who.access()).get("status").asText();
          return status.equals("passed") || status.equals("failed");
        });
    return server.get("/attempts/" + attempt, who.access()).body();
  }

  private static void assertInvalid(TestServer.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.get("errors").has(field)).as(r.toString()).isTrue();
  }

  @Test
  void theServerScoresTheAnswersAndTheAwardFollowsTheUsualPath() {
    var ann = server.registerAndLogin("ann");
    long first = started(ann, quiz);
    var r = submit(ann, first, Map.of("answers", Map.of("q1", List.of(1), "q2", List.of(0))));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.get("status").asText()).isEqualTo("submitted");
    assertThat(r.get("score").asInt()).as("1 of 4 points").isEqualTo(25);
    var done = processed(ann, first);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("xp_awarded").asInt()).isEqualTo(50);

    long second = started(ann, quiz);
    var all = submit(ann, second, Map.of("answers", Map.of("q1", List.of(1), "q2", List.of(2, 0))));
    assertThat(all.get("score").asInt()).isEqualTo(100);
    var passed = processed(ann, second);
    assertThat(passed.get("status").asText()).isEqualTo("passed");
    assertThat(passed.get("xp_awarded").asInt()).as("200 less the 50 already paid").isEqualTo(150);
    assertThat(server.get("/users/me/progress", ann.access()).get("total_xp").asLong())
        .isEqualTo(200);

    assertThat(submit(ann, second, Map.of("answers", Map.of())).status())
        .as("only once")
        .isEqualTo(409);
  }

  @Test
  void theWrongKindOfSubmissionIsRefused() {
    var ben = server.registerAndLogin("ben");
    long onQuiz = started(ben, quiz);
    assertInvalid(submit(ben, onQuiz, Map.of("score", 100)), "score");
    assertInvalid(
        submit(ben, onQuiz, Map.of("score", 100, "answers", Map.of("q1", List.of(1)))), "score");
    assertInvalid(
        submit(ben, onQuiz, Map.of("answers", Map.of("nope", List.of(0)))), "answers.nope");
    assertInvalid(
        submit(ben, onQuiz, Map.of("answers", Map.of("q1", List.of(2)))), "answers.q1[0]");
    assertInvalid(
        submit(ben, onQuiz, Map.of("answers", Map.of("q1", List.of(-1)))), "answers.q1[0]");
    assertInvalid(submit(ben, onQuiz, Map.of("answers", List.of(1))), "answers");
    assertThat(server.get("/attempts/" + onQuiz, ben.access()).get("status").asText())
        .as("nothing was submitted")
        .isEqualTo("started");

    long self = Fixtures.publishedChallenge(server, 10);
    long onSelf = started(ben, self);
    assertInvalid(submit(ben, onSelf, Map.of("answers", Map.of("q1", List.of(1)))), "answers");
    assertThat(server.get("/attempts/" + onSelf, ben.access()).get("status").asText())
        .isEqualTo("started");
    var generated = submit(ben, onSelf, Map.of("score", 40, "answers", Map.of()));
    assertThat(generated.status())
        .as("generated clients send {} for an unset map: " + generated)
        .isEqualTo(202);
    assertThat(generated.get("score").asInt()).isEqualTo(40);
  }

  @Test
  void theOwnerCannotScoreAnExternalChallenge() {
    var cat = server.registerAndLogin("cat");
    var external =
        server.post(
            "/challenges",
            json(
                "title",
                "Graded",
                "xp",
                10,
                "difficulty",
                "easy",
                "published",
                true,
                "scoring",
                "external"),
            admin);
    long attempt = started(cat, external.get("id").asLong());
    for (Object body : List.of(Map.of("score", 100), Map.of("answers", Map.of("q1", List.of(0))))) {
      var r = submit(cat, attempt, body);
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.get("detail").asText()).contains("external grader");
    }
    assertThat(server.get("/attempts/" + attempt, cat.access()).get("status").asText())
        .isEqualTo("started");
  }

  @Test
  void anAttemptIsScoredAgainstTheQuizVersionItStartedOn() {
    long edited = createQuiz(questions(1));
    var dan = server.registerAndLogin("dan");
    long before = started(dan, edited);

    var patch = server.patch("/challenges/" + edited, Map.of("questions", questions(0)), admin);
    assertThat(patch.get("quiz_version").asInt()).isEqualTo(2);
    long after = started(dan, edited);

    Map<String, Object> v1Right = Map.of("answers", Map.of("q1", List.of(1), "q2", List.of(0, 2)));
    assertThat(submit(dan, before, v1Right).get("score").asInt()).isEqualTo(100);
    assertThat(submit(dan, after, v1Right).get("score").asInt())
        .as("q1 is wrong in v2")
        .isEqualTo(75);
  }

  @Test
  void noRouteAPlayerReachesEverSendsAnAnswer() {
    var eve = server.registerAndLogin("eve");
    var bodies = new ArrayList<JsonNode>();
    bodies.add(server.get("/challenges/" + quiz, eve.access()).body());
    bodies.add(server.get("/challenges/" + quiz, null).body());
    bodies.add(server.get("/challenges?limit=100", eve.access()).body());
    bodies.add(server.get("/challenges?limit=100", null).body());
    var start = server.post("/attempts", Map.of("challenge_id", quiz), eve.access());
    bodies.add(start.body());
    long attempt = start.get("id").asLong();
    bodies.add(submit(eve, attempt, Map.of("answers", Map.of("q1", List.of(5)))).body());
    bodies.add(submit(eve, attempt, Map.of("score", 100)).body());
    bodies.add(submit(eve, attempt, Map.of("answers", Map.of("q1", List.of(1)))).body());
    processed(eve, attempt);
    bodies.add(submit(eve, attempt, Map.of("answers", Map.of("q1", List.of(1)))).body());
    bodies.add(server.get("/attempts/" + attempt, eve.access()).body());
    bodies.add(server.get("/attempts", eve.access()).body());
    bodies.add(server.get("/users/me/progress", eve.access()).body());
    bodies.add(server.get("/users/me/badges", eve.access()).body());
    bodies.add(server.get("/leaderboard", eve.access()).body());
    bodies.add(server.get("/leaderboard/me?around=5", eve.access()).body());
    bodies.add(server.get("/auth/me", eve.access()).body());

    var shown = server.get("/challenges/" + quiz, eve.access()).get("questions");
    assertThat(shown).as("the player does get the questions").hasSize(2);
    assertThat(shown.get(1).get("choices")).hasSize(3);
    for (var body : bodies) {
      assertThat(keys(body)).as(body.toString()).doesNotContain("answer");
    }
    assertThat(keys(server.get("/challenges/" + quiz, admin).body()))
        .as("the walk does find answers where they are")
        .contains("answer");
  }

  private static List<String> keys(JsonNode node) {
    var out = new ArrayList<String>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node == null) {
      return;
    }
    for (var e : node.properties()) {
      out.add(e.getKey());
      collect(e.getValue(), out);
    }
    if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }
}
