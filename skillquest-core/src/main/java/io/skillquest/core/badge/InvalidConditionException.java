package io.skillquest.core.badge;

/**
 * Thrown when a badge condition is malformed; the message names the offending field, as in {@code
 * conditions[1].days: must be a positive integer}, so it can be shown to an admin as is.
 */
public final class InvalidConditionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The path of the bad field. */
  private final String path;

  /** What is wrong with the field. */
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param path the path of the bad field, e.g. {@code conditions[1].days}; empty for the whole
   *     condition
   * @param reason what is wrong with it, e.g. {@code must be a positive integer}
   */
  public InvalidConditionException(String path, String reason) {
    super((path.isEmpty() ? "condition" : path) + ": " + reason);
    this.path = path;
    this.reason = reason;
  }

  /**
   * The path of the bad field.
   *
   * @return a path such as {@code conditions[1].days}, or an empty string for the whole condition
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
