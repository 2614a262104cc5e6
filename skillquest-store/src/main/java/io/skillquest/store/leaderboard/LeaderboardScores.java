package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.ScoreCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ZAddParams;

/** The sorted-set score of a standing, and writes that only ever raise it. */
final class LeaderboardScores {

  private LeaderboardScores() {}

  /** The codec's score, with XP beyond the codec's range pinned to its top (still ranked first). */
  static double score(long totalXp, Instant reachedAt) {
    return ScoreCodec.encode(Math.min(totalXp, ScoreCodec.MAX_XP), reachedAt);
  }

  static void raise(JedisPooled redis, String key, Standing s) {
    redis.zadd(
        key,
        score(s.totalXp(), s.reachedAt()),
        Long.toString(s.userId()),
        ZAddParams.zAddParams().gt());
  }

  static void raise(JedisPooled redis, String key, Collection<Standing> standings) {
    if (standings.size() == 1) {
      raise(redis, key, standings.iterator().next());
      return;
    }
    var replies = new ArrayList<Response<Long>>(standings.size());
    try (var pipeline = redis.pipelined()) {
      for (var s : standings) {
        replies.add(
            pipeline.zadd(
                key,
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
