package io.skillquest.server.leaderboard;

import java.util.List;

/**
 * The caller's own rank plus up to {@code around} neighbours on each side (the caller included), in
 * rank order.
 */
public record MyStanding(
    long rank,
    long userId,
    String username,
    long totalXp,
    int level,
    List<LeaderboardEntry> neighbours) {}
