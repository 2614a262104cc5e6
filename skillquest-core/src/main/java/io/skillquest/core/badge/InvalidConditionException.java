package io.skillquest.core.badge;

import io.skillquest.core.InvalidFieldException;

/**
 * Thrown when a badge condition is malformed; the message names the offending field, as in {@code
 * conditions[1].days: must be a positive integer}, so it can be shown to an admin as is.
 */
public final class InvalidConditionException extends InvalidFieldException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param path the path of the bad field, e.g. {@code conditions[1].days}; empty for the whole
   *     condition
   * @param reason what is wrong with it, e.g. {@code must be a positive integer}
   */
  public InvalidConditionException(String path, String reason) {
    super(path.isEmpty() ? "condition" : path, path, reason);
  }
}
