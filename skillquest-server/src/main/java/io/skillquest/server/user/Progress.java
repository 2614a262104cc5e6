package io.skillquest.server.user;

import java.time.Instant;
import java.util.List;

/** GET /users/me/progress. */
public record Progress(
    long totalXp,
    int level,
    long nextLevelXp,
    long xpToNextLevel,
    long rank,
    int currentStreak,
    int longestStreak,
    List<BadgeSummary> badges,
    AttemptCounts attempts) {

  public record BadgeSummary(long id, String name, String iconUrl, Instant awardedAt) {}

  public record AttemptCounts(long started, long submitted, long passed, long failed) {}
}
