package io.skillquest.store.leaderboard;

import java.time.Instant;

/** A user's committed total XP and when it was reached: what the leaderboard ranks. */
public record Standing(long userId, long totalXp, Instant reachedAt) {}
