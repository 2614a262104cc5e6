package io.skillquest.server.challenge;

import io.skillquest.core.quiz.Quizzes;
import java.time.Instant;
import java.util.List;

/**
 * A challenge as stored and as sent on the wire. {@code questions} is the quiz of a {@code quiz}
 * challenge (null otherwise), as stored: with the answer key, so it goes out only through {@link
 * #forViewer(boolean)}.
 */
public record Challenge(
    long id,
    String title,
    String description,
    int xp,
    String difficulty,
    List<String> tags,
    int passScore,
    boolean published,
    String scoring,
    Integer quizVersion,
    List<Object> questions,
    Instant createdAt,
    Instant updatedAt) {

  /** What a caller may see: admins get the answer key, everyone else the questions without it. */
  public Challenge forViewer(boolean admin) {
    if (admin || questions == null) {
      return this;
    }
    return new Challenge(
        id,
        title,
        description,
        xp,
        difficulty,
        tags,
        passScore,
        published,
        scoring,
        quizVersion,
        Quizzes.renderForPlayer(Quizzes.parse(questions)),
        createdAt,
        updatedAt);
  }
}
