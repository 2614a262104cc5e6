package io.skillquest.server.leaderboard;

import java.time.LocalDate;

/**
 * The caller's final place in one finished window.
 *
 * @param window the window's id, e.g. {@code week:2026-W48}
 * @param firstDay the window's first date in the board's zone
 * @param rank the final 1-based position (ordinal)
 * @param xp the XP earned in the window
 * @param ranked how many users were ranked in the window
 */
public record RankHistoryEntry(
    String window, LocalDate firstDay, long rank, long xp, long ranked) {}
