package io.skillquest.core.quiz;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One multiple-choice question of a {@link Quiz}.
 *
 * <p>A question is answered right only when the chosen indices are exactly {@link #answer}: no
 * missing and no extra choice, so a question with several right choices gives no partial credit.
 *
 * @param id the question's id, unique in its quiz; 1..{@value Quiz#MAX_ID_LENGTH} characters,
 *     without control characters or leading or trailing whitespace
 * @param prompt the question's text, non-blank, at most {@value Quiz#MAX_TEXT_LENGTH} characters
 * @param choices the choices, 1..{@value Quiz#MAX_CHOICES}, each non-blank and at most {@value
 *     Quiz#MAX_TEXT_LENGTH} characters
 * @param answer the indices of the right choices, 0-based, at least one; held sorted
 * @param points what the question is worth, 1..{@value Quiz#MAX_POINTS}
 */
public record Question(
    String id, String prompt, List<String> choices, Set<Integer> answer, int points) {

  /** The points of a question that does not say. */
  public static final int DEFAULT_POINTS = 1;

  /**
   * Validates and copies the components.
   *
   * @param id the id
   * @param prompt the text
   * @param choices the choices
   * @param answer the right choices' indices
   * @param points the points
   * @throws IllegalArgumentException if a component breaks a limit above
   * @throws NullPointerException if a component or element is null
   */
  public Question {
    require("id", Quiz.idProblem(Objects.requireNonNull(id, "id")));
    require("prompt", Quiz.textProblem(Objects.requireNonNull(prompt, "prompt")));
    choices = List.copyOf(choices);
    if (choices.isEmpty() || choices.size() > Quiz.MAX_CHOICES) {
      throw new IllegalArgumentException(
          "a question must have 1 to " + Quiz.MAX_CHOICES + " choices: " + choices.size());
    }
    choices.forEach(c -> require("choice", Quiz.textProblem(c)));
    var sorted = new TreeSet<Integer>();
    for (Integer index : answer) {
      if (Objects.requireNonNull(index, "answer index") < 0 || index >= choices.size()) {
        throw new IllegalArgumentException(
            "answer index " + index + " is out of range (" + choices.size() + " choices)");
      }
      sorted.add(index);
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a question needs at least one right choice");
    }
    answer = Collections.unmodifiableSortedSet(sorted);
    if (points < 1 || points > Quiz.MAX_POINTS) {
      throw new IllegalArgumentException(
          "points must be between 1 and " + Quiz.MAX_POINTS + ": " + points);
    }
  }

  /**
   * Whether a set of chosen indices answers the question right.
   *
   * @param chosen the chosen indices
   * @return {@code true} when {@code chosen} equals {@link #answer} as a set
   */
  public boolean answeredRightBy(Set<Integer> chosen) {
    return answer.equals(chosen);
  }

  private static void require(String what, String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(what + " " + problem);
    }
  }
}
