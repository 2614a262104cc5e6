package io.skillquest.server.leaderboard;

import java.util.List;

/**
 * The caller on a day, week or month board. {@code rank} is null (and {@code neighbours} empty)
 * when the caller earned no XP in the window: only users who earned some are ranked.
 */
public record PeriodStanding(
    String period,
    String window,
    Long rank,
    long userId,
    String username,
    long xp,
    long totalXp,
    int level,
    List<PeriodEntry> neighbours) {}
