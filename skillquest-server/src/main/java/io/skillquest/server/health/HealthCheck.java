package io.skillquest.server.health;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.skillquest.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.UnifiedJedis;

/**
 * GET /health: 200 when PostgreSQL answers {@code SELECT 1} and Redis answers PING, else 503 with a
 * problem body naming what is down. Timeouts are short (the pool's 3 s connection wait, a 2 s query
 * timeout, Redis's 1 s socket timeout) so a load balancer's probe gets an answer.
 */
public final class HealthCheck implements Handler {
  private final Jdbi jdbi;
  private final UnifiedJedis redis;

  public HealthCheck(Jdbi jdbi, UnifiedJedis redis) {
    this.jdbi = jdbi;
    this.redis = redis;
  }

  @Override
  public void handle(Context ctx) {
    boolean postgres = postgresUp();
    boolean redisUp = redisUp();
    var body = new LinkedHashMap<String, Object>();
    if (postgres && redisUp) {
      body.put("status", "ok");
      body.put("postgres", "up");
      body.put("redis", "up");
      ctx.json(body);
      return;
    }
    var down = new ArrayList<String>();
    if (!postgres) {
      down.add("postgres");
    }
    if (!redisUp) {
      down.add("redis");
    }
    body.put("type", "about:blank");
    body.put("title", "Service Unavailable");
    body.put("status", 503);
    body.put("detail", String.join(" and ", down) + (down.size() == 1 ? " is" : " are") + " down");
    body.put("instance", ctx.path());
    body.put("postgres", postgres ? "up" : "down");
    body.put("redis", redisUp ? "up" : "down");
    ctx.status(503).json(body).contentType("application/problem+json");
  }

  private boolean postgresUp() {
    return Database.ping(jdbi);
  }

  private boolean redisUp() {
    try {
      return "PONG".equals(redis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
