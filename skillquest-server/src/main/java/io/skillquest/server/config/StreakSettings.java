package io.skillquest.server.config;

import io.skillquest.core.streak.FreezeRule;
import io.skillquest.store.Env;
import java.util.Objects;

/**
 * How streaks are counted: the streak freeze rule progress shows streaks with. The worker reads the
 * same two variables for {@code consecutive_days} badges, so a badge and the streak a user sees
 * agree.
 *
 * @param freezeRule one freeze earned per SKILLQUEST_STREAK_FREEZE_EVERY (7) consecutive days, at
 *     most SKILLQUEST_STREAK_FREEZE_MAX (2) held; 0 turns freezes off
 */
public record StreakSettings(FreezeRule freezeRule) {

  public static final StreakSettings DEFAULT = new StreakSettings(FreezeRule.DEFAULT);

  public StreakSettings {
    Objects.requireNonNull(freezeRule, "freezeRule");
  }

  static StreakSettings read(Env env) {
    int every =
        env.integer(
            "SKILLQUEST_STREAK_FREEZE_EVERY", FreezeRule.DEFAULT.every(), 1, FreezeRule.MAX_EVERY);
    int max =
        env.integer(
            "SKILLQUEST_STREAK_FREEZE_MAX", FreezeRule.DEFAULT.max(), 0, FreezeRule.MAX_HELD);
    return new StreakSettings(new FreezeRule(every, max));
  }
}
