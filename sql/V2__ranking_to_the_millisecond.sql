-- The leaderboard breaks equal XP by who reached it first to the millisecond, then by the lower
-- user id: the precision the Redis board's members hold. The SQL fallback must order exactly the
-- same way, so it orders by the time truncated to the millisecond, and this index is on that
-- expression (AT TIME ZONE 'UTC' makes it immutable; truncating to a millisecond does not depend
-- on the zone).
CREATE INDEX users_ranking_ms
    ON users (total_xp DESC, date_trunc('milliseconds', xp_reached_at AT TIME ZONE 'UTC'), id);
DROP INDEX users_ranking;
