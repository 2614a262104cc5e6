package io.skillquest.worker;

import java.util.List;

/**
 * What processing one attempt did.
 *
 * @param result see {@link Result}
 * @param userId the attempt's owner, 0 when the attempt is unknown
 * @param xpAwarded XP this attempt added (after the no-farming cap); 0 unless {@link
 *     Result#PROCESSED}
 * @param totalXp the owner's total after the award
 * @param badgeIds badges newly earned by this attempt
 */
public record AwardOutcome(
    Result result, long userId, int xpAwarded, long totalXp, List<Long> badgeIds) {

  public enum Result {
    /** moved from submitted to passed or failed, XP and badges committed */
    PROCESSED,
    /** already passed or failed: a redelivered task, nothing changed */
    ALREADY_PROCESSED,
    /** another transaction holds the attempt right now (another worker); it will finish it */
    BUSY,
    /** no such attempt: a poison task */
    UNKNOWN_ATTEMPT,
    /** the attempt was never submitted: a poison task */
    NOT_SUBMITTED
  }

  static AwardOutcome of(Result result) {
    return new AwardOutcome(result, 0, 0, 0, List.of());
  }
}
