package io.skillquest.core;

/**
 * Input that breaks a rule, naming the field so the message can be shown next to it as is, as in
 * {@code conditions[1].days: must be a positive integer}.
 */
public class InvalidFieldException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param shownPath the path as the message shows it
   * @param path the path of the bad field, e.g. {@code conditions[1].days}
   * @param reason what is wrong with it, e.g. {@code must be a positive integer}
   */
  protected InvalidFieldException(String shownPath, String path, String reason) {
    super(shownPath + ": " + reason);
    this.path = path;
    this.reason = reason;
  }

  /**
   * The path of the bad field.
   *
   * @return a path such as {@code conditions[1].days}
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
