package io.skillquest.core.quiz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class QuizScorePropertiesTest {

  /** A quiz and a valid submission for it, made from one random seed per question. */
  record Case(Quiz quiz, Submission submission) {}

  @Property
  void scoreIsWithin0And100(@ForAll("cases") Case c) {
    assertThat(c.quiz().score(c.submission())).isBetween(0, 100);
  }

  @Property
  void scoreIsTheFloorOfRightPointsOverAllPoints(@ForAll("cases") Case c) {
    long right =
        c.quiz().questions().stream()
            .filter(q -> q.answer().equals(c.submission().answers().get(q.id())))
            .mapToLong(Question::points)
            .sum();
    long expected = Math.floorDiv(100 * right, c.quiz().totalPoints());
    assertThat((long) c.quiz().score(c.submission())).isEqualTo(expected);
  }

  @Property
  void allRightIs100(@ForAll("quizzes") Quiz quiz) {
    assertThat(quiz.score(quiz.answerKey())).isEqualTo(100);
    var viaJson = Quizzes.parseSubmission(Quizzes.render(quiz.answerKey()), quiz);
    assertThat(quiz.score(viaJson)).isEqualTo(100);
  }

  @Property
  void noneRightIs0(@ForAll("quizzes") Quiz quiz) {
    assertThat(quiz.score(new Submission(Map.of()))).isZero();
    var wrong = new HashMap<String, Set<Integer>>();
    for (Question q : quiz.questions()) {
      // the complement of the answer is never the answer, since the answer is non-empty
      var complement = new TreeSet<Integer>();
      for (int i = 0; i < q.choices().size(); i++) {
        if (!q.answer().contains(i)) {
          complement.add(i);
        }
      }
      wrong.put(q.id(), complement);
    }
    assertThat(quiz.score(new Submission(wrong))).isZero();
  }

  @Property
  void oneMoreRightQuestionNeverLowersTheScore(
      @ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 1000) int pick) {
    Quiz quiz = c.quiz();
    Question q = quiz.questions().get(pick % quiz.questions().size());
    var better = new HashMap<>(c.submission().answers());
    better.put(q.id(), q.answer());
    int before = quiz.score(c.submission());
    int after = quiz.score(new Submission(better));
    assertThat(after).isGreaterThanOrEqualTo(before);
    boolean wasWrong = !q.answer().equals(c.submission().answers().get(q.id()));
    if (wasWrong && q.points() * 100 >= quiz.totalPoints()) {
      assertThat(after).isGreaterThan(before);
    }
  }

  @Property
  void renderParseRoundTrips(@ForAll("cases") Case c) {
    assertThat(Quizzes.parse(Quizzes.render(c.quiz()))).isEqualTo(c.quiz());
    assertThat(Quizzes.parseSubmission(Quizzes.render(c.submission()), c.quiz()))
        .isEqualTo(c.submission());
    assertThat(Quizzes.renderForPlayer(c.quiz()).toString()).doesNotContain("answer");
  }

  @Provide
  Arbitrary<Quiz> quizzes() {
    return cases().map(Case::quiz);
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<long[]> question =
        Combinators.combine(
                Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 5),
                Arbitraries.longs(),
                Arbitraries.longs(),
                Arbitraries.integers().between(0, 3))
            .as(
                (choices, points, answerBits, chosenBits, mode) ->
                    new long[] {choices, points, answerBits, chosenBits, mode});
    return question.list().ofMinSize(1).ofMaxSize(12).map(QuizScorePropertiesTest::build);
  }

  /** Mode 0: unanswered, 1: answered right, 2-3: a random (often wrong) choice set. */
  private static Case build(List<long[]> specs) {
    var questions = new ArrayList<Question>();
    var answers = new HashMap<String, Set<Integer>>();
    for (int i = 0; i < specs.size(); i++) {
      long[] s = specs.get(i);
      int choices = (int) s[0];
      var labels = new ArrayList<String>();
      for (int c = 0; c < choices; c++) {
        labels.add("choice " + c);
      }
      Set<Integer> answer = subset(s[2], choices);
      if (answer.isEmpty()) {
        answer = Set.of((int) Math.floorMod(s[2], choices));
      }
      var q = new Question("q" + i, "Question " + i, labels, answer, (int) s[1]);
      questions.add(q);
      switch ((int) s[4]) {
        case 0 -> {}
        case 1 -> answers.put(q.id(), q.answer());
        default -> answers.put(q.id(), subset(s[3], choices));
      }
    }
    return new Case(new Quiz(questions), new Submission(answers));
  }

  private static Set<Integer> subset(long bits, int choices) {
    var out = new TreeSet<Integer>();
    for (int c = 0; c < choices; c++) {
      if ((bits >>> c & 1) == 1) {
        out.add(c);
      }
    }
    return out;
  }
}
