package io.skillquest.core.quiz;

import io.skillquest.core.InputTree;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts quizzes and submissions to and from their JSON form, held as a plain tree of {@link
 * Map}, {@link List}, {@link Number} and {@link String} values, which is what Jackson's {@code
 * readValue(json, Object.class)} and most other JSON libraries produce.
 *
 * <p>A quiz's wire form is the list of its questions: {@code [{"id":"q1","prompt":"...",
 * "choices":["a","b"],"answer":[1],"points":2}]}, {@code points} optional (default 1). A
 * submission's is an object of chosen indices by question id: {@code {"q1":[1],"q2":[0,2]}}.
 *
 * <p>Parsing is strict, so a quiz is checked once when an admin saves it and a submission before it
 * is scored: unknown fields are rejected, numbers must be integral (a {@code 3.0} is accepted,
 * {@code 2.5}, {@code "3"} and {@code true} are not), and sizes are bounded (see {@link Quiz}).
 * Every failure is an {@link InvalidQuizException} naming the path of the bad field; no message
 * reveals an answer.
 */
public final class Quizzes {

  private static final Set<String> QUESTION_FIELDS =
      Set.of("id", "prompt", "choices", "answer", "points");

  private Quizzes() {}

  /**
   * Parses a quiz from its JSON tree.
   *
   * @param questions the parsed value of a challenge's {@code questions} field
   * @return the quiz
   * @throws InvalidQuizException if the tree is not a valid quiz; the path starts with {@code
   *     questions}
   */
  public static Quiz parse(Object questions) {
    String path = "questions";
    if (!(questions instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidQuizException(path, "must be a non-empty list");
    }
    if (list.size() > Quiz.MAX_QUESTIONS) {
      throw new InvalidQuizException(
          path, "must hold at most " + Quiz.MAX_QUESTIONS + " questions");
    }
    var out = new ArrayList<Question>(list.size());
    var firstById = new HashMap<String, Integer>();
    for (int i = 0; i < list.size(); i++) {
      Question q = question(list.get(i), path + "[" + i + "]");
      Integer earlier = firstById.putIfAbsent(q.id(), i);
      if (earlier != null) {
        throw new InvalidQuizException(
            path + "[" + i + "].id", "duplicates questions[" + earlier + "].id");
      }
      out.add(q);
    }
    return new Quiz(out);
  }

  /**
   * Renders a quiz with its answers, for admins and for storage. {@code parse(render(q))} equals
   * {@code q}.
   *
   * @param quiz the quiz
   * @return an unmodifiable list of insertion-ordered maps
   */
  public static List<Object> render(Quiz quiz) {
    return renderQuestions(quiz, true);
  }

  /**
   * Renders a quiz for players: every field but {@code answer}.
   *
   * @param quiz the quiz
   * @return an unmodifiable list of maps with {@code id}, {@code prompt}, {@code choices} and
   *     {@code points}
   */
  public static List<Object> renderForPlayer(Quiz quiz) {
    return renderQuestions(quiz, false);
  }

  /**
   * Parses and validates a submission against the quiz it answers.
   *
   * @param answers the parsed value of the submit request's {@code answers} field
   * @param quiz the quiz being answered
   * @return the submission
   * @throws InvalidQuizException for anything but an object of lists of in-range, distinct choice
   *     indices keyed by the quiz's question ids; the path starts with {@code answers}
   */
  public static Submission parseSubmission(Object answers, Quiz quiz) {
    String path = "answers";
    if (!(answers instanceof Map<?, ?> map)) {
      throw new InvalidQuizException(path, "must be an object of choice indices by question id");
    }
    var out = new LinkedHashMap<String, Set<Integer>>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String id)) {
        throw new InvalidQuizException(path, "field names must be strings");
      }
      String p = path + "." + InputTree.shown(id);
      Question q =
          quiz.question(id).orElseThrow(() -> new InvalidQuizException(p, "unknown question"));
      out.put(id, indices(entry.getValue(), p, q.choices().size(), false));
    }
    return new Submission(out);
  }

  /**
   * Renders a submission, e.g. to store with an attempt.
   *
   * @param submission the submission
   * @return an unmodifiable map of sorted index lists by question id
   */
  public static Map<String, Object> render(Submission submission) {
    var out = new LinkedHashMap<String, Object>();
    submission.answers().forEach((id, chosen) -> out.put(id, List.copyOf(chosen)));
    return Collections.unmodifiableMap(out);
  }

  private static Question question(Object node, String path) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new InvalidQuizException(path, "must be an object");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String name)) {
        throw new InvalidQuizException(path, "field names must be strings");
      }
      if (!QUESTION_FIELDS.contains(name)) {
        throw new InvalidQuizException(path + "." + InputTree.shown(name), "unknown field");
      }
    }
    String id = string(map, path + ".id", Quiz::idProblem, "id");
    String prompt = string(map, path + ".prompt", Quiz::textProblem, "prompt");
    List<String> choices = choices(map, path + ".choices");
    var answer =
        indices(required(map, path + ".answer", "answer"), path + ".answer", choices.size(), true);
    int points = points(map, path + ".points");
    return new Question(id, prompt, choices, answer, points);
  }

  private static String string(
      Map<?, ?> map, String path, java.util.function.Function<String, String> problem, String key) {
    Object value = required(map, path, key);
    String reason = value instanceof String s ? problem.apply(s) : "must be a non-blank string";
    if (reason != null) {
      throw new InvalidQuizException(path, reason);
    }
    return (String) value;
  }

  private static List<String> choices(Map<?, ?> map, String path) {
    Object value = required(map, path, "choices");
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidQuizException(path, "must be a non-empty list");
    }
    if (list.size() > Quiz.MAX_CHOICES) {
      throw new InvalidQuizException(path, "must hold at most " + Quiz.MAX_CHOICES + " choices");
    }
    var out = new ArrayList<String>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object choice = list.get(i);
      String reason =
          choice instanceof String s ? Quiz.textProblem(s) : "must be a non-blank string";
      if (reason != null) {
        throw new InvalidQuizException(path + "[" + i + "]", reason);
      }
      out.add((String) choice);
    }
    return out;
  }

  /** Distinct in-range indices; the answer key must name at least one, a submission may not. */
  private static Set<Integer> indices(Object value, String path, int choices, boolean nonEmpty) {
    if (!(value instanceof List<?> list) || (nonEmpty && list.isEmpty())) {
      throw new InvalidQuizException(
          path,
          nonEmpty
              ? "must be a non-empty list of choice indices"
              : "must be a list of choice indices");
    }
    var out = new LinkedHashSet<Integer>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      BigDecimal d = InputTree.decimal(list.get(i));
      if (d == null || d.stripTrailingZeros().scale() > 0) {
        throw new InvalidQuizException(p, "must be an integer");
      }
      if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(choices)) >= 0) {
        throw new InvalidQuizException(
            p, "index " + InputTree.shown(d) + " is out of range (" + choices + " choices)");
      }
      int index = d.intValueExact();
      if (!out.add(index)) {
        throw new InvalidQuizException(p, "duplicates index " + index);
      }
    }
    return out;
  }

  private static int points(Map<?, ?> map, String path) {
    if (!map.containsKey("points")) {
      return Question.DEFAULT_POINTS;
    }
    BigDecimal d = InputTree.decimal(map.get("points"));
    if (d == null || d.signum() <= 0 || d.stripTrailingZeros().scale() > 0) {
      throw new InvalidQuizException(path, "must be a positive integer");
    }
    if (d.compareTo(BigDecimal.valueOf(Quiz.MAX_POINTS)) > 0) {
      throw new InvalidQuizException(path, "must be at most " + Quiz.MAX_POINTS);
    }
    return d.intValueExact();
  }

  private static Object required(Map<?, ?> map, String path, String key) {
    if (!map.containsKey(key)) {
      throw new InvalidQuizException(path, "is required");
    }
    return map.get(key);
  }

  private static List<Object> renderQuestions(Quiz quiz, boolean withAnswers) {
    var out = new ArrayList<Object>(quiz.questions().size());
    for (Question q : quiz.questions()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("id", q.id());
      m.put("prompt", q.prompt());
      m.put("choices", q.choices());
      if (withAnswers) {
        m.put("answer", List.copyOf(q.answer()));
      }
      m.put("points", q.points());
      out.add(Collections.unmodifiableMap(m));
    }
    return Collections.unmodifiableList(out);
  }
}
