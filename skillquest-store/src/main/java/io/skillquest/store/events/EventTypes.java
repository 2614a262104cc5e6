package io.skillquest.store.events;

import java.util.List;

/** The event types the outbox holds, by their wire names. */
public final class EventTypes {

  /** {@code {attempt_id, user_id, challenge_id, score, status, xp_awarded, total_xp, level}} */
  public static final String ATTEMPT_PROCESSED = "attempt.processed";

  /**
   * {@code {user_id, level, total_xp}}: one per award that raised the level, carrying the level
   * reached (an award that jumps several levels is one event with the highest).
   */
  public static final String LEVEL_REACHED = "level.reached";

  /** {@code {user_id, badge_id, name, awarded_at}} */
  public static final String BADGE_AWARDED = "badge.awarded";

  public static final List<String> ALL = List.of(ATTEMPT_PROCESSED, LEVEL_REACHED, BADGE_AWARDED);

  private EventTypes() {}
}
