package io.skillquest.core.queue;

/**
 * Thrown when a queue message is not a valid {@link AwardTask}; the worker sets such a message
 * aside as a dead letter instead of retrying it.
 */
public final class MalformedTaskException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the message
   */
  public MalformedTaskException(String message) {
    super(message);
  }
}
