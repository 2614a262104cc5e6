package io.skillquest.store;

import java.time.Duration;
import java.util.HashSet;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Redis wiring shared by the server and the worker. {@code SKILLQUEST_REDIS_URL} may name one
 * server ({@link JedisPooled}), a Redis Cluster ({@link JedisCluster}) or a Sentinel group ({@link
 * JedisSentineled}, which follows failover); callers hold the common {@link UnifiedJedis} and never
 * need to know which (see {@link RedisUrl}).
 */
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

  /** Socket timeout while a blocking command (BRPOP) waits: its own timeout plus a margin. */
  static final int BLOCKING_SOCKET_TIMEOUT_MILLIS = (int) BRPOP_TIMEOUT.toMillis() + 4_000;

  /**
   * In a cluster a command is retried on MOVED/ASK redirections and connection errors (a failover,
   * a resharding) at most this often and for at most {@link #CLUSTER_RETRY_TIME}, so an outage
   * still fails a call within a few seconds.
   */
  private static final int CLUSTER_ATTEMPTS = 3;

  private static final Duration CLUSTER_RETRY_TIME = Duration.ofSeconds(3);

  private RedisClients() {}

  public static UnifiedJedis pooled(StoreConfig c) {
    return pooled(c, 32);
  }

  /**
   * The shared, thread-safe client. In a cluster {@code maxConnections} bounds each node's pool.
   *
   * @throws redis.clients.jedis.exceptions.JedisException for a cluster or sentinel group none of
   *     whose nodes answers (a single server is connected lazily)
   */
  public static UnifiedJedis pooled(StoreConfig c, int maxConnections) {
    return connect(RedisUrl.parse(c.redisUrl()), pool(maxConnections));
  }

  /**
   * A client of its own for BRPOP, so a blocked pop never starves the shared pool. While a blocking
   * command waits its socket timeout is {@link #BLOCKING_SOCKET_TIMEOUT_MILLIS}, a few seconds
   * longer than {@link #BRPOP_TIMEOUT}; in a cluster the pop goes to the node serving the queue's
   * slot (following MOVED), and behind sentinels to the current master.
   */
  public static UnifiedJedis blocking(StoreConfig c) {
    return connect(RedisUrl.parse(c.redisUrl()), pool(2));
  }

  /**
   * Whether any of the keys exists, for keys that are read together but deliberately carry no
   * shared hash tag (revocation markers: tagging them alike would put every check on one cluster
   * node). One EXISTS on a single server; in a cluster, where keys in different slots cannot share
   * a command, one EXISTS per key until one is found.
   */
  public static boolean anyExists(UnifiedJedis redis, String... keys) {
    if (!(redis instanceof JedisCluster)) {
      return redis.exists(keys) > 0;
    }
    for (String key : keys) {
      if (redis.exists(key)) {
        return true;
      }
    }
    return false;
  }

  private static UnifiedJedis connect(RedisUrl url, GenericObjectPoolConfig<Connection> pool) {
    try {
      return open(url, pool);
    } catch (JedisException e) {
      // a cluster or sentinel client learns the topology when created: say which URL failed
      throw new JedisConnectionException(
          "SKILLQUEST_REDIS_URL "
              + url
              + ": no listed "
              + (url.kind() == RedisUrl.Kind.SENTINEL ? "sentinel" : "node")
              + " answered ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static UnifiedJedis open(RedisUrl url, GenericObjectPoolConfig<Connection> pool) {
    return switch (url.kind()) {
      case SERVER ->
          new JedisPooled(
              new HostAndPort(
                  url.serverUri().getHost(),
                  url.serverUri().getPort() < 0 ? 6379 : url.serverUri().getPort()),
              serverConfig(url),
              pool);
      case CLUSTER ->
          new JedisCluster(
              new HashSet<>(url.nodes()),
              config(url).build(),
              CLUSTER_ATTEMPTS,
              CLUSTER_RETRY_TIME,
              pool);
      case SENTINEL ->
          new JedisSentineled(
              url.masterName(),
              config(url).build(),
              pool,
              new HashSet<>(url.nodes()),
              timeouts(DefaultJedisClientConfig.builder())
                  .user(url.sentinelUser())
                  .password(url.sentinelPassword())
                  .ssl(url.tls())
                  .build());
    };
  }

  private static JedisClientConfig serverConfig(RedisUrl url) {
    var uri = url.serverUri();
    var b =
        timeouts(DefaultJedisClientConfig.builder())
            .user(JedisURIHelper.getUser(uri))
            .password(JedisURIHelper.getPassword(uri))
            .database(JedisURIHelper.getDBIndex(uri))
            .ssl(JedisURIHelper.isRedisSSLScheme(uri));
    var protocol = JedisURIHelper.getRedisProtocol(uri);
    if (protocol != null) {
      b.protocol(protocol);
    }
    return b.build();
  }

  private static DefaultJedisClientConfig.Builder config(RedisUrl url) {
    return timeouts(DefaultJedisClientConfig.builder())
        .user(url.user())
        .password(url.password())
        .ssl(url.tls());
  }

  private static DefaultJedisClientConfig.Builder timeouts(DefaultJedisClientConfig.Builder b) {
    return b.connectionTimeoutMillis(TIMEOUT_MILLIS)
        .socketTimeoutMillis(TIMEOUT_MILLIS)
        .blockingSocketTimeoutMillis(BLOCKING_SOCKET_TIMEOUT_MILLIS);
  }

  private static GenericObjectPoolConfig<Connection> pool(int maxConnections) {
    var pool = new GenericObjectPoolConfig<Connection>();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMinIdle(0);
    pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
    // after an outage the pool may hold dead sockets; test them while idle so one bad call per
    // socket is avoided
    pool.setTestOnBorrow(false);
    pool.setTestWhileIdle(true);
    pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(10));
    pool.setJmxEnabled(false);
    return pool;
  }
}
