package io.skillquest.core.streak;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Replays a user's active days in calendar order under a {@link FreezeRule}.
 *
 * <p>A gap of {@code k} missed days after a streak day is bridged when at least {@code k} freezes
 * are held, consuming {@code k}; otherwise the streak breaks, and the freezes are gone too (each
 * missed day used one up before the one that broke the streak). Either way the earning count starts
 * over, because freezes are earned for real consecutive days only. Jumping over a gap in one step
 * gives the same state as missing its days one by one, so the cost grows with the number of active
 * days, not with the span of the calendar.
 */
final class StreakWalk {

  private final FreezeRule rule;
  private LocalDate last;
  private int run;
  private int longest;
  private int held;
  private int towardsNext;

  StreakWalk(FreezeRule rule) {
    this.rule = rule;
  }

  /** A day with a passed attempt; days must come in strictly increasing order. */
  void play(LocalDate day) {
    if (last != null) {
      miss(ChronoUnit.DAYS.between(last, day) - 1);
    }
    run++;
    longest = Math.max(longest, run);
    if (++towardsNext == rule.every()) {
      towardsNext = 0;
      held = Math.min(rule.max(), held + 1);
    }
    last = day;
  }

  /** Ends the replay on a day that is not over yet: only the days strictly before it are missed. */
  void endBefore(LocalDate today) {
    if (last != null && last.isBefore(today)) {
      miss(ChronoUnit.DAYS.between(last, today) - 1);
    }
  }

  private void miss(long days) {
    if (days <= 0) {
      return;
    }
    if (days <= held) {
      held -= (int) days;
    } else {
      run = 0;
      held = 0;
    }
    towardsNext = 0;
  }

  int run() {
    return run;
  }

  int longest() {
    return longest;
  }

  int held() {
    return held;
  }
}
