package io.skillquest.bench;

import io.javalin.Javalin;
import io.skillquest.core.Keys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

/**
 * The limit beside every HTTP read: a bare Javalin route returning fixed bytes (the body SkillQuest
 * answered for the top 10), on the same Javalin and Jetty as the server, in its own JVM with the
 * server's heap. Whatever a SkillQuest read costs above this is SkillQuest's own work.
 *
 * <p>With a Redis URL and key prefix it also serves {@code GET /bare-me?user=<id>}: the bytes of a
 * {@code /leaderboard/me} answer after the Redis reads that answer cannot do without, made the way
 * the server makes them (the caller's revocation markers, then the user's place on the all-time
 * board in one script), on a pool as large as the server's. What {@code /leaderboard/me} costs
 * above that is SkillQuest's own work.
 *
 * <p>{@code java -cp skillquest-bench.jar io.skillquest.bench.BareRoute <port> <body file> [<me
 * body file> <redis url> <key prefix>]}; serves on 127.0.0.1 until killed.
 */
public final class BareRoute {

  /** The server's {@code LeaderboardScores.PLACE} (skillquest-store): keep them equal. */
  static final String PLACE =
      """
      local m = redis.call('HGET', KEYS[2], ARGV[1])
      local r = m and redis.call('ZREVRANK', KEYS[1], m)
      if not r then return {redis.call('EXISTS', KEYS[1])} end
      local s = redis.call('ZSCORE', KEYS[1], m)
      return {1, r, s, redis.call('ZCOUNT', KEYS[1], '(' .. s, '+inf')}""";

  private BareRoute() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] body = Files.readAllBytes(Path.of(args[1]));
    byte[] me = args.length >= 5 ? Files.readAllBytes(Path.of(args[2])) : null;
    var app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.routes.get("/bare", ctx -> ctx.contentType("application/json").result(body));
              if (me != null) {
                var pool = new GenericObjectPoolConfig<Connection>();
                pool.setMaxTotal(32);
                pool.setMaxIdle(32);
                var redis = new JedisPooled(pool, URI.create(args[3]));
                var keys = new Keys(args[4]);
                var board = List.of(keys.leaderboard(), keys.leaderboardMembers());
                String sha = redis.scriptLoad(PLACE);
                cfg.routes.get(
                    "/bare-me",
                    ctx -> {
                      // a token's id and its login's are random, as in every real token (not
                      // UUID.randomUUID: its SecureRandom would be this route's bottleneck)
                      var random = ThreadLocalRandom.current();
                      redis.exists(
                          keys.revokedToken(
                              new UUID(random.nextLong(), random.nextLong()).toString()),
                          keys.revokedFamily(new UUID(random.nextLong(), random.nextLong())));
                      redis.evalsha(sha, board, List.of(ctx.queryParam("user")));
                      ctx.contentType("application/json").result(me);
                    });
              }
            });
    app.start("127.0.0.1", port);
  }
}
