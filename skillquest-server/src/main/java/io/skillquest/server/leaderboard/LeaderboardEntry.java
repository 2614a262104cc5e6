package io.skillquest.server.leaderboard;

/**
 * One ranked user. {@code rank} is 1-based: distinct for every user unless competition ranking was
 * asked for. {@code xp} is what the board ranks by: the XP earned in the window on a day, week or
 * month board, the total XP (equal to {@code totalXp}) on the all-time board.
 */
public record LeaderboardEntry(
    long rank, long userId, String username, long xp, long totalXp, int level) {

  /** An all-time row: it ranks by total XP. */
  public LeaderboardEntry(long rank, long userId, String username, long totalXp, int level) {
    this(rank, userId, username, totalXp, totalXp, level);
  }
}
