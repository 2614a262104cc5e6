/**
 * Leaderboard rules: the board order and its Redis encoding, rank numbering and period windows.
 *
 * <p>{@link io.skillquest.core.leaderboard.Standing#ORDER} is the board order (more XP, then first
 * reached to the millisecond, then lower user id); {@link io.skillquest.core.leaderboard.RankCodec}
 * encodes it as a sorted-set entry whose Redis order is exactly that order. {@link
 * io.skillquest.core.leaderboard.Ranking} numbers positions (ordinal or competition). {@link
 * io.skillquest.core.leaderboard.Period} and {@link io.skillquest.core.leaderboard.PeriodWindow}
 * name the day, week and month boards in a time zone.
 */
package io.skillquest.core.leaderboard;
