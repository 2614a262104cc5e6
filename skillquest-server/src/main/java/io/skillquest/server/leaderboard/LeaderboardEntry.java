package io.skillquest.server.leaderboard;

/** One ranked user; {@code rank} is 1-based and distinct for every user. */
public record LeaderboardEntry(long rank, long userId, String username, long totalXp, int level) {}
