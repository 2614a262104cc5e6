package io.skillquest.server.leaderboard;

/**
 * One ranked user on a day, week or month board: {@code xp} is what they earned in the window,
 * {@code totalXp} and {@code level} are their current all-time values.
 */
public record PeriodEntry(
    long rank, long userId, String username, long xp, long totalXp, int level) {}
