package io.skillquest.store.leaderboard;

import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.leaderboard.Standing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The board's layout in Redis and the scripts that change it.
 *
 * <p>A board is two keys: a sorted set (score = XP, member = {@link RankCodec} member, so Redis'
 * order is the board order to the millisecond) and a hash from user id to that user's member. A
 * user's place changes by replacing their member, which only a script can do atomically (read the
 * old member, compare, ZREM, ZADD, HSET), and only ever upwards: a write that does not rank better
 * than what the board holds is ignored, so late, repeated or concurrent writes never move anyone
 * backwards.
 *
 * <p>Invariant the rebuild relies on: a hash without its sorted set is a leftover of a lost board,
 * so the first write to a missing board drops it ({@code UNLINK}, freed in the background).
 */
final class LeaderboardScores {

  /**
   * Lua: does (xa, ma) rank above (xb, mb)? Members have a fixed layout (15 digits, ':', 19
   * digits), compared as numbers in pieces Lua holds exactly (a double is exact to 15 digits),
   * which avoids Lua's locale-dependent string comparison.
   */
  private static final String BETTER =
      """
      local function better(xa, ma, xb, mb)
        if xa ~= xb then return xa > xb end
        for _, r in ipairs({{1, 15}, {17, 26}, {27, 35}}) do
          local a = tonumber(string.sub(ma, r[1], r[2]))
          local b = tonumber(string.sub(mb, r[1], r[2]))
          if a ~= b then return a > b end
        end
        return false
      end
      local function raise(board, members, user, xp, member)
        local old = redis.call('HGET', members, user)
        if old then
          local s = redis.call('ZSCORE', board, old)
          if s then
            if old == member or not better(tonumber(xp), member, tonumber(s), old) then
              return 0
            end
            redis.call('ZREM', board, old)
          end
        end
        redis.call('ZADD', board, xp, member)
        redis.call('HSET', members, user, member)
        return 1
      end
      """;

  /** KEYS: board, members. ARGV: (user id, XP, member) triples. Returns how many were raised. */
  static final Script RAISE =
      new Script(
          BETTER
              + """
              if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('UNLINK', KEYS[2]) end
              local raised = 0
              for i = 1, #ARGV, 3 do
                raised = raised + raise(KEYS[1], KEYS[2], ARGV[i], ARGV[i + 1], ARGV[i + 2])
              end
              return raised""");

  /**
   * KEYS: (board, members) pairs. ARGV, per pair in order: the number n of standings, the epoch
   * millisecond both keys expire at, then n (user id, XP, member) triples. {@link #RAISE} and the
   * expiry of several boards in one call.
   */
  static final Script RAISE_WINDOWS =
      new Script(
          BETTER
              + """
              local a = 1
              for k = 1, #KEYS, 2 do
                local board, members = KEYS[k], KEYS[k + 1]
                local n, at = tonumber(ARGV[a]), ARGV[a + 1]
                a = a + 2
                if redis.call('EXISTS', board) == 0 then redis.call('UNLINK', members) end
                for i = a, a + 3 * n - 1, 3 do
                  raise(board, members, ARGV[i], ARGV[i + 1], ARGV[i + 2])
                end
                a = a + 3 * n
                redis.call('PEXPIREAT', board, at)
                redis.call('PEXPIREAT', members, at)
              end
              return 1""");

  /**
   * KEYS: live board, live members, copy, copy's members. Folds what writes put on the live board
   * while the copy was built into the copy, then swaps the copy in. The live board, if any, was
   * recreated by those writes and its first write dropped the stale hash, so the live hash holds
   * only those few users and the fold is short.
   */
  static final Script SWAP =
      new Script(
          BETTER
              + """
              local folded = 0
              if redis.call('EXISTS', KEYS[1]) == 1 then
                local written = redis.call('HGETALL', KEYS[2])
                for i = 1, #written, 2 do
                  local s = redis.call('ZSCORE', KEYS[1], written[i + 1])
                  if s then
                    folded = folded + raise(KEYS[3], KEYS[4], written[i], s, written[i + 1])
                  end
                end
              end
              -- RENAME would delete the old values synchronously; UNLINK frees them in the background
              redis.call('UNLINK', KEYS[1], KEYS[2])
              redis.call('RENAME', KEYS[3], KEYS[1])
              redis.call('RENAME', KEYS[4], KEYS[2])
              -- the copy's safety expiry must not follow it into the live keys
              redis.call('PERSIST', KEYS[1])
              redis.call('PERSIST', KEYS[2])
              return folded""");

  /**
   * KEYS: board, members. ARGV: (user id or '-', member, '1' when the user is deleted) triples.
   * Removes members that are not their user's current one (left behind when the hash was lost) and
   * those of deleted users.
   */
  static final Script PRUNE =
      new Script(
          """
          local removed = 0
          for i = 1, #ARGV, 3 do
            local user, member, deleted = ARGV[i], ARGV[i + 1], ARGV[i + 2]
            local current = redis.call('HGET', KEYS[2], user)
            if deleted == '1' then
              if current == member then redis.call('HDEL', KEYS[2], user) end
              removed = removed + redis.call('ZREM', KEYS[1], member)
            elseif current ~= member then
              removed = removed + redis.call('ZREM', KEYS[1], member)
            end
          end
          return removed""");

  /**
   * KEYS: board, members, and optionally a marker whose presence means the board is known to be
   * empty. ARGV: user id. Returns {0} when the board is missing (and not marked empty), {n > 0}
   * when the user is not on it, else {1, 0-based position, score, users with strictly more XP}: one
   * round trip, one consistent moment, O(log n).
   */
  static final Script PLACE =
      new Script(
          """
          local m = redis.call('HGET', KEYS[2], ARGV[1])
          local r = m and redis.call('ZREVRANK', KEYS[1], m)
          if not r then return {redis.call('EXISTS', KEYS[1], KEYS[3] or KEYS[1])} end
          local s = redis.call('ZSCORE', KEYS[1], m)
          return {1, r, s, redis.call('ZCOUNT', KEYS[1], '(' .. s, '+inf')}""");

  /**
   * KEYS: board, members, all-time board, all-time members, and optionally the first board's empty
   * marker. ARGV: user id. {@link #PLACE} on the first board, plus the user's score on the all-time
   * board (nil when not on it) as a fifth element: a period standing and the user's total in one
   * round trip.
   */
  static final Script PLACE_WITH_TOTAL =
      new Script(
          """
          local m = redis.call('HGET', KEYS[2], ARGV[1])
          local r = m and redis.call('ZREVRANK', KEYS[1], m)
          if not r then return {redis.call('EXISTS', KEYS[1], KEYS[5] or KEYS[1])} end
          local s = redis.call('ZSCORE', KEYS[1], m)
          local am = redis.call('HGET', KEYS[4], ARGV[1])
          local total = am and redis.call('ZSCORE', KEYS[3], am)
          return {1, r, s, redis.call('ZCOUNT', KEYS[1], '(' .. s, '+inf'), total or false}""");

  /**
   * KEYS: board, and optionally its empty marker. ARGV: start, stop. Returns {0} when the board is
   * missing (and not marked empty), {n > 0} for an empty page, else {1, ZREVRANGE WITHSCORES, users
   * with strictly more XP than the page's first row}: the page and the count from one moment, so
   * competition ranks computed from them are consistent.
   */
  static final Script RANGE_WITH_ABOVE =
      new Script(
          """
          local r = redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
          if #r == 0 then return {redis.call('EXISTS', KEYS[1], KEYS[2] or KEYS[1])} end
          return {1, r, redis.call('ZCOUNT', KEYS[1], '(' .. r[2], '+inf')}""");

  /**
   * KEYS: board, members. ARGV: user ids. Returns each user's score on the board, in order, nil for
   * a user it does not hold: the totals of a page of another board in one round trip.
   */
  static final Script SCORES =
      new Script(
          """
          local members = redis.call('HMGET', KEYS[2], unpack(ARGV))
          local scores = {}
          for i = 1, #ARGV do
            scores[i] = members[i] and redis.call('ZSCORE', KEYS[1], members[i]) or false
          end
          return scores""");

  private LeaderboardScores() {}

  /** The script arguments raising one standing. */
  static void addRaise(List<String> args, Standing s) {
    var e = RankCodec.encode(s);
    args.add(Long.toString(s.userId()));
    args.add(Long.toString(s.totalXp()));
    args.add(e.member());
  }

  static void raise(UnifiedJedis redis, String board, String members, Standing s) {
    var args = new ArrayList<String>(3);
    addRaise(args, s);
    RAISE.eval(redis, List.of(board, members), args);
  }

  /** Raises many standings, a chunk per script so no single script runs long. */
  static void raise(
      UnifiedJedis redis, String board, String members, Collection<Standing> standings, int chunk) {
    if (standings.size() <= chunk) {
      var args = new ArrayList<String>(standings.size() * 3);
      standings.forEach(s -> addRaise(args, s));
      RAISE.eval(redis, List.of(board, members), args);
      return;
    }
    var replies = new ArrayList<Response<Object>>();
    try (var pipeline = redis.pipelined()) {
      var args = new ArrayList<String>(chunk * 3);
      for (var s : standings) {
        addRaise(args, s);
        if (args.size() == chunk * 3) {
          replies.add(pipeline.eval(RAISE.text, List.of(board, members), args));
          args = new ArrayList<>(chunk * 3);
        }
      }
      if (!args.isEmpty()) {
        replies.add(pipeline.eval(RAISE.text, List.of(board, members), args));
      }
      pipeline.sync();
    }
    // sync() keeps error replies (OOM, READONLY, WRONGTYPE) in the responses; get() throws them
    replies.forEach(Response::get);
  }

  /** A Lua script run by its SHA1, sent in full only when Redis does not know it yet. */
  static final class Script {
    final String text;
    final String sha;

    Script(String text) {
      this.text = text;
      try {
        this.sha =
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    Object eval(UnifiedJedis redis, List<String> keys, List<String> args) {
      try {
        return redis.evalsha(sha, keys, args);
      } catch (JedisNoScriptException e) {
        return redis.eval(text, keys, args);
      }
    }
  }
}
