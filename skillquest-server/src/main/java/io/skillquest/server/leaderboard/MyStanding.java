package io.skillquest.server.leaderboard;

import java.util.List;

/**
 * The caller's own rank plus up to {@code around} neighbours on each side (the caller included), in
 * rank order.
 *
 * @param period {@code all}, {@code day}, {@code week} or {@code month}
 * @param window the window's id (e.g. {@code week:2026-W49}); null on the all-time board
 * @param rank the caller's rank; null on a day, week or month board when the caller earned nothing
 *     in the window (only users who did are ranked; neighbours is then empty)
 * @param xp what the board ranks by: XP earned in the window, or the total XP on the all-time board
 */
public record MyStanding(
    String period,
    String window,
    Long rank,
    long userId,
    String username,
    long xp,
    long totalXp,
    int level,
    List<LeaderboardEntry> neighbours) {

  /** A standing on the all-time board. */
  public MyStanding(
      long rank,
      long userId,
      String username,
      long totalXp,
      int level,
      List<LeaderboardEntry> neighbours) {
    this("all", null, rank, userId, username, totalXp, totalXp, level, neighbours);
  }
}
