package io.skillquest.worker;

import io.skillquest.core.leaderboard.ScoreCodec;
import io.skillquest.core.queue.Keys;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ZAddParams;

import java.time.Instant;

/** Writes leaderboard scores; only ever upwards, so late or repeated writes cannot move anyone back. */
public final class LeaderboardScores {

    private LeaderboardScores() {
    }

    /** The codec's score, with XP beyond the codec's range pinned to its top (still ranked first). */
    public static double score(long totalXp, Instant reachedAt) {
        return ScoreCodec.encode(Math.min(totalXp, ScoreCodec.MAX_XP), reachedAt);
    }

    public static void raise(JedisPooled redis, Keys keys, long userId, long totalXp, Instant reachedAt) {
        redis.zadd(keys.leaderboard(), score(totalXp, reachedAt), Long.toString(userId), ZAddParams.zAddParams().gt());
    }
}
