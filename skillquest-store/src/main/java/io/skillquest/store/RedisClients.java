package io.skillquest.store;

import java.net.URI;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/** Redis wiring shared by the server and the worker. */
public final class RedisClients {

  /**
   * Connect and command timeout: a Redis outage must fail a call in about a second, not hang it.
   */
  public static final int TIMEOUT_MILLIS = 1_000;

  /**
   * The worker blocks in BRPOP for this long; the blocking connection's socket timeout must exceed
   * it.
   */
  public static final Duration BRPOP_TIMEOUT = Duration.ofSeconds(1);

  private RedisClients() {}

  public static JedisPooled pooled(StoreConfig c) {
    return pooled(c, 32);
  }

  public static JedisPooled pooled(StoreConfig c, int maxConnections) {
    var pool = new GenericObjectPoolConfig<Connection>();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMinIdle(0);
    pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
    // after an outage the pool may hold dead sockets; test them on borrow so one bad call per
    // socket is avoided
    pool.setTestOnBorrow(false);
    pool.setTestWhileIdle(true);
    pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(10));
    pool.setJmxEnabled(false);
    return new JedisPooled(pool, URI.create(c.redisUrl()), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
  }

  /**
   * A dedicated, unpooled connection for BRPOP, so a blocked pop never starves the pool. Its socket
   * timeout is a few seconds longer than {@link #BRPOP_TIMEOUT}.
   */
  public static Jedis blocking(StoreConfig c) {
    int socketTimeout = (int) BRPOP_TIMEOUT.toMillis() + 4_000;
    return new Jedis(URI.create(c.redisUrl()), TIMEOUT_MILLIS, socketTimeout);
  }
}
