package io.skillquest.worker;

import io.skillquest.core.leaderboard.ScoreCodec;
import io.skillquest.core.queue.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ZAddParams;

/**
 * Writes leaderboard scores; only ever upwards, so late or repeated writes cannot move anyone back.
 */
public final class LeaderboardScores {

  /** A user's total and when it was reached, as committed. */
  public record Standing(long userId, long totalXp, Instant reachedAt) {}

  private LeaderboardScores() {}

  /** The codec's score, with XP beyond the codec's range pinned to its top (still ranked first). */
  public static double score(long totalXp, Instant reachedAt) {
    return ScoreCodec.encode(Math.min(totalXp, ScoreCodec.MAX_XP), reachedAt);
  }

  public static void raise(
      JedisPooled redis, Keys keys, long userId, long totalXp, Instant reachedAt) {
    redis.zadd(
        keys.leaderboard(),
        score(totalXp, reachedAt),
        Long.toString(userId),
        ZAddParams.zAddParams().gt());
  }

  /** Raises many users' scores in one pipelined round trip. */
  public static void raise(JedisPooled redis, Keys keys, Collection<Standing> standings) {
    if (standings.size() == 1) {
      var s = standings.iterator().next();
      raise(redis, keys, s.userId(), s.totalXp(), s.reachedAt());
      return;
    }
    var replies = new ArrayList<Response<Long>>(standings.size());
    try (var pipeline = redis.pipelined()) {
      for (var s : standings) {
        replies.add(
            pipeline.zadd(
                keys.leaderboard(),
                score(s.totalXp(), s.reachedAt()),
                Long.toString(s.userId()),
                ZAddParams.zAddParams().gt()));
      }
      pipeline.sync();
    }
    // sync() keeps error replies (OOM, READONLY, WRONGTYPE) in the responses; get() throws them
    replies.forEach(Response::get);
  }
}
