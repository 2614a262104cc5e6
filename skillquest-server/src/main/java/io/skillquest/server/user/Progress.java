package io.skillquest.server.user;

import java.time.Instant;
import java.util.List;

/**
 * GET /users/me/progress. Streaks count days with a passed attempt in the user's zone; held streak
 * freezes ({@code streakFreezes}) bridge missed days without counting as streak days.
 */
public record Progress(
    long totalXp,
    int level,
    long nextLevelXp,
    long xpToNextLevel,
    long rank,
    Long weekRank,
    int currentStreak,
    int longestStreak,
    int streakFreezes,
    List<BadgeSummary> badges,
    AttemptCounts attempts) {

  public record BadgeSummary(long id, String name, String iconUrl, Instant awardedAt) {}

  public record AttemptCounts(long started, long submitted, long passed, long failed) {}
}
