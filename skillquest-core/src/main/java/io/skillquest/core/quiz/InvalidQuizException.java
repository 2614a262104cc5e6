package io.skillquest.core.quiz;

import io.skillquest.core.InvalidFieldException;

/**
 * Thrown when a quiz or a submission is malformed; the message names the offending field, as in
 * {@code questions[2].answer[0]: index 5 is out of range (3 choices)}, so it can be shown as is.
 * Messages never reveal a quiz's answers.
 */
public final class InvalidQuizException extends InvalidFieldException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param path the path of the bad field, e.g. {@code questions[2].answer[0]} or {@code
   *     answers.q1}
   * @param reason what is wrong with it, e.g. {@code must be a non-empty list}
   */
  public InvalidQuizException(String path, String reason) {
    super(path, path, reason);
  }
}
