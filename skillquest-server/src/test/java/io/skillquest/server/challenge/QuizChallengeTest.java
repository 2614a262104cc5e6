package io.skillquest.server.challenge;

import static io.skillquest.server.challenge.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admins set who scores a challenge, and write and edit quizzes with field-naming errors. */
class QuizChallengeTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static String admin;

  @BeforeAll
  static void start() {
    admin = server.adminToken();
  }

  static List<Object> questions() {
    return List.of(
        json("id", "q1", "prompt", "2 + 2?", "choices", List.of("3", "4"), "answer", List.of(1)),
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

  static Map<String, Object> quizBody(Object questions) {
    return json(
        "title",
        "Quiz",
        "xp",
        100,
        "difficulty",
        "easy",
        "published",
        true,
        "scoring",
        "quiz",
        "questions",
        questions);
  }

  private static void assertInvalid(TestServer.Response r, String field, String reasonPart) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.get("errors").path(field).asText()).as(r.toString()).contains(reasonPart);
  }

  @Test
  void challengesAreSelfScoredUnlessTheySayOtherwise() {
    var r =
        server.post("/challenges", Map.of("title", "Plain", "xp", 1, "difficulty", "easy"), admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.get("scoring").asText()).isEqualTo("self");
    assertThat(r.get("questions").isNull()).isTrue();
    assertThat(r.get("quiz_version").isNull()).isTrue();

    var external =
        server.post(
            "/challenges",
            Map.of("title", "Graded", "xp", 1, "difficulty", "easy", "scoring", "external"),
            admin);
    assertThat(external.status()).as(external.toString()).isEqualTo(201);
    assertThat(external.get("scoring").asText()).isEqualTo("external");

    // a row written without the column, as every challenge before the migration was
    long legacy =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "INSERT INTO challenges (title, xp, difficulty) VALUES ('old', 1,"
                                + " 'easy') RETURNING id")
                        .mapTo(long.class)
                        .one());
    assertThat(server.get("/challenges/" + legacy, admin).get("scoring").asText())
        .isEqualTo("self");
  }

  @Test
  void anAdminCreatesAQuizAndSeesItsAnswerKey() {
    var r = server.post("/challenges", quizBody(questions()), admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.get("scoring").asText()).isEqualTo("quiz");
    assertThat(r.get("quiz_version").asInt()).isEqualTo(1);
    var q2 = r.get("questions").get(1);
    assertThat(q2.get("id").asText()).isEqualTo("q2");
    assertThat(q2.get("answer").toString()).isEqualTo("[0,2]");
    assertThat(q2.get("points").asInt()).isEqualTo(3);
    assertThat(r.get("questions").get(0).get("points").asInt()).as("default points").isEqualTo(1);

    var shown = server.get("/challenges/" + r.get("id").asLong(), admin);
    assertThat(shown.get("questions")).isEqualTo(r.get("questions"));
  }

  @Test
  void badQuizzesAreRefusedNamingTheField() {
    var outOfRange = new java.util.ArrayList<>(questions());
    outOfRange.add(
        json("id", "q3", "prompt", "?", "choices", List.of("a", "b", "c"), "answer", List.of(5)));
    assertInvalid(
        server.post("/challenges", quizBody(outOfRange), admin),
        "questions[2].answer[0]",
        "out of range");

    var duplicate = List.of(questions().get(0), questions().get(0));
    assertInvalid(
        server.post("/challenges", quizBody(duplicate), admin), "questions[1].id", "duplicates");

    assertInvalid(
        server.post(
            "/challenges",
            quizBody(
                List.of(
                    json("id", "q", "prompt", "?", "choices", List.of(), "answer", List.of(0)))),
            admin),
        "questions[0].choices",
        "non-empty");
    assertInvalid(
        server.post(
            "/challenges",
            quizBody(
                List.of(
                    json(
                        "id",
                        "q",
                        "prompt",
                        "?",
                        "choices",
                        List.of("a"),
                        "answer",
                        List.of(0),
                        "points",
                        0))),
            admin),
        "questions[0].points",
        "positive");
    assertInvalid(server.post("/challenges", quizBody(List.of()), admin), "questions", "required");
    assertInvalid(server.post("/challenges", quizBody(null), admin), "questions", "required");

    var selfWithQuestions = quizBody(questions());
    selfWithQuestions.put("scoring", "self");
    assertInvalid(server.post("/challenges", selfWithQuestions, admin), "questions", "only");

    var unknownScoring = quizBody(questions());
    unknownScoring.put("scoring", "honour");
    assertInvalid(server.post("/challenges", unknownScoring, admin), "scoring", "one of");

    // nothing was written by any of them
    long quizzes =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM challenges WHERE title = 'Quiz' AND scoring <> 'quiz'")
                        .mapTo(long.class)
                        .one());
    assertThat(quizzes).isZero();
  }

  @Test
  void editingTheQuestionsBumpsTheVersionAndKeepsTheOldOne() {
    long id = server.post("/challenges", quizBody(questions()), admin).get("id").asLong();

    var same = server.patch("/challenges/" + id, Map.of("questions", questions()), admin);
    assertThat(same.status()).as(same.toString()).isEqualTo(200);
    assertThat(same.get("quiz_version").asInt()).as("unchanged questions").isEqualTo(1);

    var renamed = server.patch("/challenges/" + id, Map.of("title", "Renamed"), admin);
    assertThat(renamed.get("quiz_version").asInt()).isEqualTo(1);
    assertThat(renamed.get("questions")).isEqualTo(same.get("questions"));

    var edited =
        List.of(
            json(
                "id",
                "only",
                "prompt",
                "New?",
                "choices",
                List.of("x", "y"),
                "answer",
                List.of(0)));
    var r = server.patch("/challenges/" + id, Map.of("questions", edited), admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("quiz_version").asInt()).isEqualTo(2);
    assertThat(r.get("questions").get(0).get("id").asText()).isEqualTo("only");

    var versions =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT version FROM challenge_quiz_versions WHERE challenge_id = :id"
                                + " ORDER BY version")
                        .bind("id", id)
                        .mapTo(int.class)
                        .list());
    assertThat(versions).containsExactly(1, 2);

    var bad =
        server.patch(
            "/challenges/" + id,
            Map.of(
                "questions",
                List.of(
                    json("id", "x", "prompt", "?", "choices", List.of("a"), "answer", List.of(1)))),
            admin);
    assertInvalid(bad, "questions[0].answer[0]", "out of range");
    assertThat(server.get("/challenges/" + id, admin).get("quiz_version").asInt()).isEqualTo(2);
  }

  @Test
  void switchingScoringKeepsQuestionsOnQuizzesOnly() {
    long plain = Fixtures.publishedChallenge(server, 10);
    assertInvalid(
        server.patch("/challenges/" + plain, Map.of("scoring", "quiz"), admin),
        "questions",
        "required");
    assertInvalid(
        server.patch("/challenges/" + plain, Map.of("questions", questions()), admin),
        "questions",
        "only");
    var emptyList =
        server.patch(
            "/challenges/" + plain, Map.of("title", "Still self", "questions", List.of()), admin);
    assertThat(emptyList.status())
        .as("generated clients send [] for an unset list: " + emptyList)
        .isEqualTo(200);
    assertThat(emptyList.get("questions").isNull()).isTrue();

    var toQuiz =
        server.patch(
            "/challenges/" + plain, Map.of("scoring", "quiz", "questions", questions()), admin);
    assertThat(toQuiz.status()).as(toQuiz.toString()).isEqualTo(200);
    assertThat(toQuiz.get("quiz_version").asInt()).isEqualTo(1);

    var toSelf = server.patch("/challenges/" + plain, Map.of("scoring", "self"), admin);
    assertThat(toSelf.status()).as(toSelf.toString()).isEqualTo(200);
    assertThat(toSelf.get("scoring").asText()).isEqualTo("self");
    assertThat(toSelf.get("questions").isNull()).isTrue();

    var nullScoring = new java.util.HashMap<String, Object>();
    nullScoring.put("scoring", null);
    assertInvalid(server.patch("/challenges/" + plain, nullScoring, admin), "scoring", "null");
  }
}
