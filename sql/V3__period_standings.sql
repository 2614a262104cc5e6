-- Final standings of finished day, week and month leaderboard windows, written once per window by
-- the worker a grace period after the window ends, and served for past windows and rank history.
-- Windows are named by their id in the board's time zone (day:2026-11-30, week:2026-W49,
-- month:2026-11).
CREATE TABLE period_finals (
    period        text        NOT NULL CHECK (period IN ('day', 'week', 'month')),
    window_id     text        NOT NULL,
    first_day     date        NOT NULL,
    finalised_at  timestamptz NOT NULL DEFAULT now(),
    -- two workers racing to finalise a window: the second one's insert conflicts and it writes
    -- nothing, so every window has exactly one result
    PRIMARY KEY (period, window_id)
);

CREATE TABLE period_standings (
    period      text        NOT NULL,
    window_id   text        NOT NULL,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 1-based position: XP earned in the window descending, then who reached that sum first (to the
    -- millisecond), then the lower user id
    position    bigint      NOT NULL,
    xp          bigint      NOT NULL CHECK (xp > 0),
    reached_at  timestamptz NOT NULL,
    PRIMARY KEY (period, window_id, user_id),
    FOREIGN KEY (period, window_id) REFERENCES period_finals (period, window_id) ON DELETE CASCADE
);
CREATE INDEX period_standings_board ON period_standings (period, window_id, position);
CREATE INDEX period_standings_history ON period_standings (user_id, period, window_id);
-- the live period boards are rebuilt from attempts by processed_at
CREATE INDEX attempts_processed ON attempts (processed_at) WHERE xp_awarded > 0;
