package io.skillquest.core.quiz;

/**
 * Thrown when a quiz or a submission is malformed; the message names the offending field, as in
 * {@code questions[2].answer[0]: index 5 is out of range (3 choices)}, so it can be shown as is.
 * Messages never reveal a quiz's answers.
 */
public final class InvalidQuizException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The path of the bad field. */
  private final String path;

  /** What is wrong with the field. */
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param path the path of the bad field, e.g. {@code questions[2].answer[0]} or {@code
   *     answers.q1}
   * @param reason what is wrong with it, e.g. {@code must be a non-empty list}
   */
  public InvalidQuizException(String path, String reason) {
    super(path + ": " + reason);
    this.path = path;
    this.reason = reason;
  }

  /**
   * The path of the bad field.
   *
   * @return a path such as {@code questions[2].prompt}
   */
  public String path() {
    return path;
  }

  /**
   * What is wrong with the field.
   *
   * @return the reason, without the path
   */
  public String reason() {
    return reason;
  }
}
