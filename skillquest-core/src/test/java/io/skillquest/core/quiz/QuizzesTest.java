package io.skillquest.core.quiz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class QuizzesTest {

  private static Map<String, Object> q(String id, int choices, List<Object> answer) {
    var m = new LinkedHashMap<String, Object>();
    m.put("id", id);
    m.put("prompt", "Question " + id + "?");
    var c = new ArrayList<Object>();
    for (int i = 0; i < choices; i++) {
      c.add("choice " + i);
    }
    m.put("choices", c);
    m.put("answer", answer);
    return m;
  }

  /** Three questions: q1 (3 choices, answer 1), q2 (4 choices, answers 0 and 2, 2 points), q3. */
  private static List<Object> tree() {
    var q2 = q("q2", 4, List.of(2, 0));
    q2.put("points", 2);
    return new ArrayList<>(List.of(q("q1", 3, List.of(1)), q2, q("q3", 2, List.of(0))));
  }

  private static Quiz quiz() {
    return Quizzes.parse(tree());
  }

  private static void assertRejected(List<Object> tree, String message) {
    assertThatThrownBy(() -> Quizzes.parse(tree))
        .isInstanceOf(InvalidQuizException.class)
        .hasMessage(message);
  }

  private static void assertRejected(Consumer<List<Object>> change, String message) {
    var tree = tree();
    change.accept(tree);
    assertRejected(tree, message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(List<Object> tree, int i) {
    return (Map<String, Object>) tree.get(i);
  }

  @Test
  void parsesQuestionsWithDefaultPoints() {
    Quiz quiz = quiz();
    assertThat(quiz.questions()).hasSize(3);
    Question q2 = quiz.question("q2").orElseThrow();
    assertThat(q2.answer()).containsExactly(0, 2);
    assertThat(q2.points()).isEqualTo(2);
    assertThat(quiz.question("q1").orElseThrow().points()).isEqualTo(1);
    assertThat(quiz.totalPoints()).isEqualTo(4);
    assertThat(quiz.question("q9")).isEmpty();
  }

  @Test
  void renderRoundTripsAndPlayersNeverSeeTheAnswer() {
    Quiz quiz = quiz();
    assertThat(Quizzes.parse(Quizzes.render(quiz))).isEqualTo(quiz);
    assertThat(Quizzes.render(quiz).get(1).toString()).contains("answer=[0, 2]");
    List<Object> forPlayer = Quizzes.renderForPlayer(quiz);
    assertThat(forPlayer).hasSize(3);
    for (Object question : forPlayer) {
      assertThat(List.<Object>copyOf(((Map<?, ?>) question).keySet()))
          .containsExactly("id", "prompt", "choices", "points");
    }
    assertThat(forPlayer.get(0))
        .isEqualTo(
            Map.of(
                "id",
                "q1",
                "prompt",
                "Question q1?",
                "choices",
                List.of("choice 0", "choice 1", "choice 2"),
                "points",
                1));
  }

  @Test
  void integralNumbersOfAnyJsonTypeAreAccepted() {
    var tree = tree();
    at(tree, 0).put("answer", List.of(1.0));
    at(tree, 1).put("points", new BigDecimal("2.00"));
    at(tree, 2).put("answer", List.of(java.math.BigInteger.ZERO));
    assertThat(Quizzes.parse(tree)).isEqualTo(quiz());
  }

  @Test
  void malformedQuizzesNameTheField() {
    assertRejected(List.of(), "questions: must be a non-empty list");
    assertThatThrownBy(() -> Quizzes.parse(Map.of()))
        .hasMessage("questions: must be a non-empty list");
    assertThatThrownBy(() -> Quizzes.parse(null)).hasMessage("questions: must be a non-empty list");
    assertRejected(t -> t.set(1, "q"), "questions[1]: must be an object");
    assertRejected(
        t -> at(t, 2).put("prompt", " "), "questions[2].prompt: must be a non-blank string");
    assertRejected(t -> at(t, 2).remove("prompt"), "questions[2].prompt: is required");
    assertRejected(
        t -> at(t, 0).put("prompt", 5), "questions[0].prompt: must be a non-blank string");
    assertRejected(t -> at(t, 0).put("id", ""), "questions[0].id: must be a non-blank string");
    assertRejected(t -> at(t, 0).put("id", 1), "questions[0].id: must be a non-blank string");
    assertRejected(
        t -> at(t, 0).put("id", " q1"), "questions[0].id: must not start or end with whitespace");
    assertRejected(
        t -> at(t, 0).put("id", "q\n1"), "questions[0].id: must not contain control characters");
    assertRejected(t -> at(t, 2).put("id", "q1"), "questions[2].id: duplicates questions[0].id");
    assertRejected(
        t -> at(t, 1).put("choices", List.of()), "questions[1].choices: must be a non-empty list");
    assertRejected(t -> at(t, 1).remove("choices"), "questions[1].choices: is required");
    assertRejected(
        t -> at(t, 1).put("choices", List.of("a", "")),
        "questions[1].choices[1]: must be a non-blank string");
    assertRejected(
        t -> at(t, 0).put("answer", List.of()),
        "questions[0].answer: must be a non-empty list of choice indices");
    assertRejected(
        t -> at(t, 0).put("answer", 1),
        "questions[0].answer: must be a non-empty list of choice indices");
    assertRejected(
        t -> at(t, 2).put("answer", List.of(5)),
        "questions[2].answer[0]: index 5 is out of range (2 choices)");
    assertRejected(
        t -> at(t, 0).put("answer", List.of(0, -1)),
        "questions[0].answer[1]: index -1 is out of range (3 choices)");
    assertRejected(
        t -> at(t, 0).put("answer", List.of(1, 1)), "questions[0].answer[1]: duplicates index 1");
    assertRejected(
        t -> at(t, 0).put("answer", List.of(0.5)), "questions[0].answer[0]: must be an integer");
    assertRejected(
        t -> at(t, 0).put("answer", List.of("1")), "questions[0].answer[0]: must be an integer");
    assertRejected(
        t -> at(t, 0).put("points", 0), "questions[0].points: must be a positive integer");
    assertRejected(
        t -> at(t, 0).put("points", -3), "questions[0].points: must be a positive integer");
    assertRejected(
        t -> at(t, 0).put("points", 1.5), "questions[0].points: must be a positive integer");
    assertRejected(
        t -> at(t, 0).put("points", true), "questions[0].points: must be a positive integer");
    assertRejected(t -> at(t, 0).put("points", 1001), "questions[0].points: must be at most 1000");
    assertRejected(t -> at(t, 0).put("hint", "x"), "questions[0].hint: unknown field");
  }

  @Test
  void sizesAreCapped() {
    var many = new ArrayList<Object>();
    for (int i = 0; i <= Quiz.MAX_QUESTIONS; i++) {
      many.add(q("q" + i, 2, List.of(0)));
    }
    assertRejected(many, "questions: must hold at most 200 questions");
    many.remove(many.size() - 1);
    assertThat(Quizzes.parse(many).questions()).hasSize(200);

    assertRejected(
        t -> t.set(0, q("q1", Quiz.MAX_CHOICES + 1, List.of(0))),
        "questions[0].choices: must hold at most 20 choices");
    assertRejected(
        t -> at(t, 0).put("prompt", "x".repeat(Quiz.MAX_TEXT_LENGTH + 1)),
        "questions[0].prompt: must be at most 2000 characters");
    assertRejected(
        t -> at(t, 0).put("id", "x".repeat(Quiz.MAX_ID_LENGTH + 1)),
        "questions[0].id: must be at most 64 characters");
  }

  @Test
  void exactlyRightQuestionsScoreTheirPoints() {
    Quiz quiz = quiz();
    assertThat(quiz.score(quiz.answerKey())).isEqualTo(100);
    assertThat(quiz.score(submit(Map.of("q1", List.of(1))))).isEqualTo(25);
    assertThat(quiz.score(submit(Map.of("q2", List.of(2, 0))))).isEqualTo(50);
    // a subset or a superset of the right choices is wrong
    assertThat(quiz.score(submit(Map.of("q2", List.of(0))))).isZero();
    assertThat(quiz.score(submit(Map.of("q2", List.of(0, 1, 2))))).isZero();
    assertThat(quiz.score(submit(Map.of("q1", List.of())))).isZero();
    assertThat(quiz.score(submit(Map.of()))).isZero();
  }

  @Test
  void scoreIsTheFloorOfThePercentage() {
    var tree =
        new ArrayList<Object>(
            List.of(q("a", 2, List.of(0)), q("b", 2, List.of(0)), q("c", 2, List.of(0))));
    Quiz thirds = Quizzes.parse(tree);
    assertThat(thirds.score(submit(thirds, Map.of("a", List.of(0))))).isEqualTo(33);
    assertThat(thirds.score(submit(thirds, Map.of("a", List.of(0), "b", List.of(0)))))
        .isEqualTo(66);
  }

  @Test
  void malformedSubmissionsNameTheField() {
    Quiz quiz = quiz();
    assertSubmissionRejected(
        List.of(), quiz, "answers: must be an object of choice indices by question id");
    assertSubmissionRejected(Map.of("q9", List.of(0)), quiz, "answers.q9: unknown question");
    assertSubmissionRejected(
        Map.of("q1", List.of(3)), quiz, "answers.q1[0]: index 3 is out of range (3 choices)");
    assertSubmissionRejected(
        Map.of("q2", List.of(0, 0)), quiz, "answers.q2[1]: duplicates index 0");
    assertSubmissionRejected(Map.of("q1", 1), quiz, "answers.q1: must be a list of choice indices");
    assertSubmissionRejected(Map.of("q1", List.of("0")), quiz, "answers.q1[0]: must be an integer");
    var nonStringKey = new HashMap<Object, Object>();
    nonStringKey.put(1, List.of(0));
    assertSubmissionRejected(nonStringKey, quiz, "answers: field names must be strings");
    assertSubmissionRejected(
        Map.of("q\u0007" + "x".repeat(100), List.of()),
        quiz,
        "answers.q?" + "x".repeat(62) + "...: unknown question");
  }

  @Test
  void errorsNeverRevealTheAnswer() {
    // q3's answer is 0; a wrong in-range choice is accepted, not reported
    Quiz quiz = quiz();
    Submission s = Quizzes.parseSubmission(Map.of("q3", List.of(1)), quiz);
    assertThat(quiz.score(s)).isZero();
    assertThat(Quizzes.render(s)).isEqualTo(Map.of("q3", List.of(1)));
  }

  @Test
  void recordsRejectWhatTheParserRejects() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Question("q", "p", List.of("a"), Set.of(1), 1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Question("q", "p", List.of("a"), Set.of(), 1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Question("q", "p", List.of("a"), Set.of(0), 0));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Question("q", " ", List.of("a"), Set.of(0), 1));
    var q = new Question("q", "p", List.of("a"), Set.of(0), 1);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Quiz(List.of(q, q)));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new Quiz(List.of()));
  }

  private static void assertSubmissionRejected(Object answers, Quiz quiz, String message) {
    assertThatThrownBy(() -> Quizzes.parseSubmission(answers, quiz))
        .isInstanceOf(InvalidQuizException.class)
        .hasMessage(message);
  }

  private static Submission submit(Map<String, List<Integer>> answers) {
    return submit(quiz(), answers);
  }

  private static Submission submit(Quiz quiz, Map<String, List<Integer>> answers) {
    return Quizzes.parseSubmission(new HashMap<>(answers), quiz);
  }
}
