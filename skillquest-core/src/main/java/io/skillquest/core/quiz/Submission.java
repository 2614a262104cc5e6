package io.skillquest.core.quiz;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A player's answers to a quiz: for each answered question id, the chosen choice indices. Questions
 * left out are unanswered, and count as wrong.
 *
 * @param answers chosen indices by question id; copied, each set held sorted
 */
public record Submission(Map<String, Set<Integer>> answers) {

  /**
   * Copies the answers.
   *
   * @param answers chosen indices by question id
   * @throws NullPointerException if an id, a set or an index is null
   */
  public Submission {
    var copy = new LinkedHashMap<String, Set<Integer>>();
    answers.forEach(
        (id, chosen) -> {
          SortedSet<Integer> sorted = new TreeSet<>();
          for (Integer index : Objects.requireNonNull(chosen, "chosen")) {
            sorted.add(Objects.requireNonNull(index, "index"));
          }
          copy.put(
              Objects.requireNonNull(id, "question id"), Collections.unmodifiableSortedSet(sorted));
        });
    answers = Collections.unmodifiableMap(copy);
  }
}
