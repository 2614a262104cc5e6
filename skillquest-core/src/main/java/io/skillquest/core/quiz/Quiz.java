package io.skillquest.core.quiz;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A quiz: the questions of a challenge scored by the server, with their answer key.
 *
 * <p>Limits keep one quiz a few hundred kilobytes at most and its scoring cheap: {@value
 * #MAX_QUESTIONS} questions, {@value #MAX_CHOICES} choices each, {@value #MAX_POINTS} points per
 * question, ids of {@value #MAX_ID_LENGTH} characters and texts of {@value #MAX_TEXT_LENGTH}.
 *
 * @param questions the questions, 1..{@value #MAX_QUESTIONS}, with distinct ids, in display order
 */
public record Quiz(List<Question> questions) {

  /** The most questions in one quiz. */
  public static final int MAX_QUESTIONS = 200;

  /** The most choices in one question. */
  public static final int MAX_CHOICES = 20;

  /** The most points one question may be worth. */
  public static final int MAX_POINTS = 1000;

  /** The longest question id, in characters. */
  public static final int MAX_ID_LENGTH = 64;

  /** The longest prompt or choice text, in characters. */
  public static final int MAX_TEXT_LENGTH = 2000;

  /**
   * Validates and copies the questions.
   *
   * @param questions the questions
   * @throws IllegalArgumentException if there are none, too many, or two share an id
   */
  public Quiz {
    questions = List.copyOf(questions);
    if (questions.isEmpty() || questions.size() > MAX_QUESTIONS) {
      throw new IllegalArgumentException(
          "a quiz must have 1 to " + MAX_QUESTIONS + " questions: " + questions.size());
    }
    var ids = new HashSet<String>();
    for (Question q : questions) {
      if (!ids.add(q.id())) {
        throw new IllegalArgumentException("duplicate question id '" + q.id() + "'");
      }
    }
  }

  /**
   * The question with an id.
   *
   * @param id the id
   * @return the question, or empty when the quiz has none with that id
   */
  public Optional<Question> question(String id) {
    return questions.stream().filter(q -> q.id().equals(id)).findFirst();
  }

  /**
   * The points of all questions.
   *
   * @return the sum, at least 1
   */
  public int totalPoints() {
    return questions.stream().mapToInt(Question::points).sum();
  }

  /**
   * Scores a submission: {@code floor(100 * points of exactly right questions / all points)}.
   * Unanswered questions are wrong.
   *
   * @param submission the submission, validated against this quiz by {@link
   *     Quizzes#parseSubmission(Object, Quiz)}
   * @return the score, 0..100
   */
  public int score(Submission submission) {
    long right = 0;
    for (Question q : questions) {
      Set<Integer> chosen = submission.answers().get(q.id());
      if (chosen != null && q.answeredRightBy(chosen)) {
        right += q.points();
      }
    }
    // at most 200 * 1000 * 100, far inside a long; integer division is the floor for non-negatives
    return (int) (100 * right / totalPoints());
  }

  /**
   * The right answers as a submission, e.g. to show an admin or to test scoring.
   *
   * @return a submission answering every question right
   */
  public Submission answerKey() {
    var answers = new LinkedHashMap<String, Set<Integer>>();
    questions.forEach(q -> answers.put(q.id(), q.answer()));
    return new Submission(answers);
  }

  static String idProblem(String id) {
    if (id.isBlank()) {
      return "must be a non-blank string";
    }
    if (id.length() > MAX_ID_LENGTH) {
      return "must be at most " + MAX_ID_LENGTH + " characters";
    }
    if (!id.strip().equals(id)) {
      return "must not start or end with whitespace";
    }
    if (id.codePoints().anyMatch(Character::isISOControl)) {
      return "must not contain control characters";
    }
    return null;
  }

  static String textProblem(String text) {
    if (text == null || text.isBlank()) {
      return "must be a non-blank string";
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      return "must be at most " + MAX_TEXT_LENGTH + " characters";
    }
    return null;
  }
}
