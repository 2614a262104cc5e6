package io.skillquest.core.badge;

import java.util.Locale;

/** The lifecycle of an attempt: {@code started -> submitted -> passed | failed}. */
public enum AttemptStatus {
  /** Started, no score yet. */
  STARTED,
  /** Scored and queued for the worker. */
  SUBMITTED,
  /** Processed, and the score reached the pass mark. */
  PASSED,
  /** Processed, and the score fell short of the pass mark. */
  FAILED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /**
   * The name used in JSON and in the database.
   *
   * @return the lower-case name, e.g. {@code "passed"}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Tells whether the worker has finished with an attempt in this status.
   *
   * @return {@code true} for {@link #PASSED} and {@link #FAILED}
   */
  public boolean processed() {
    return this == PASSED || this == FAILED;
  }

  /**
   * The status with a wire name.
   *
   * @param wireName a wire name such as {@code "passed"}; matched exactly, lower case
   * @return the status
   * @throws IllegalArgumentException if no status has that wire name
   */
  public static AttemptStatus fromWire(String wireName) {
    for (AttemptStatus s : values()) {
      if (s.wireName.equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown attempt status '" + wireName + "'");
  }
}
