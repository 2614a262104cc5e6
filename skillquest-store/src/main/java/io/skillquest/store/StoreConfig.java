package io.skillquest.store;

import io.skillquest.core.Keys;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where PostgreSQL and Redis live. The server and the worker read the same variables, so a worker
 * started beside a server with the same environment file talks to the same stores.
 */
public record StoreConfig(
    String dbUrl, String dbUser, String dbPassword, String redisUrl, String redisPrefix) {

  public StoreConfig {
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
    dbUser = dbUser == null ? "" : dbUser;
    dbPassword = dbPassword == null ? "" : dbPassword;
    redisPrefix = redisPrefix == null || redisPrefix.isEmpty() ? Keys.DEFAULT_PREFIX : redisPrefix;
  }

  /**
   * Reads SKILLQUEST_DB_URL, SKILLQUEST_DB_USER, SKILLQUEST_DB_PASSWORD, SKILLQUEST_REDIS_URL and
   * SKILLQUEST_REDIS_PREFIX; the two URLs are required. User and password may be empty (peer
   * authentication, or credentials inside the URL).
   *
   * @throws IllegalArgumentException naming every missing or malformed variable
   */
  public static StoreConfig fromEnv(Map<String, String> vars) {
    var env = new Env(vars);
    var config = read(env);
    if (config.isEmpty()) {
      env.error("SKILLQUEST_DB_URL and SKILLQUEST_REDIS_URL are required");
    }
    env.validate();
    return config.orElseThrow();
  }

  /**
   * The external stores the environment names; empty when it names neither (a server then runs
   * embedded ones). One URL without the other is recorded as an error in {@code env}: a typo, not a
   * request for the embedded mode.
   */
  public static Optional<StoreConfig> read(Env env) {
    var db = env.value("SKILLQUEST_DB_URL");
    var redis = env.value("SKILLQUEST_REDIS_URL");
    if (db.isEmpty() && redis.isEmpty()) {
      return Optional.empty();
    }
    if (db.isEmpty() || redis.isEmpty()) {
      var missing = db.isEmpty() ? "SKILLQUEST_DB_URL" : "SKILLQUEST_REDIS_URL";
      var present = db.isEmpty() ? "SKILLQUEST_REDIS_URL" : "SKILLQUEST_DB_URL";
      env.error(
          missing + " is required when " + present + " is set (set neither for the embedded mode)");
      return Optional.empty();
    }
    if (!db.get().startsWith("jdbc:postgresql://")) {
      env.error("SKILLQUEST_DB_URL must be a JDBC URL like jdbc:postgresql://host:5432/db");
    }
    try {
      RedisUrl.parse(redis.get());
    } catch (IllegalArgumentException e) {
      env.error(
          "SKILLQUEST_REDIS_URL "
              + e.getMessage()
              + " (forms: redis://host:6379, redis-cluster://host:port,host:port,"
              + " redis-sentinel://host:26379,host:26379/master-name)");
    }
    return Optional.of(
        new StoreConfig(
            db.get(),
            env.value("SKILLQUEST_DB_USER").orElse(""),
            env.value("SKILLQUEST_DB_PASSWORD").orElse(""),
            redis.get(),
            prefix(env)));
  }

  /** SKILLQUEST_REDIS_PREFIX, or the default; braces are refused (see {@link Keys}). */
  public static String prefix(Env env) {
    String prefix = env.string("SKILLQUEST_REDIS_PREFIX", Keys.DEFAULT_PREFIX);
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      env.error(
          "SKILLQUEST_REDIS_PREFIX may not contain '{' or '}': the key names add their own Redis"
              + " Cluster hash tags");
      return Keys.DEFAULT_PREFIX;
    }
    return prefix;
  }

  public Keys keys() {
    return new Keys(redisPrefix);
  }

  public StoreConfig withRedisPrefix(String prefix) {
    return new StoreConfig(dbUrl, dbUser, dbPassword, redisUrl, prefix);
  }

  /** The variables a child process needs to reach the same stores (used to launch workers). */
  public Map<String, String> toEnv() {
    return Map.of(
        "SKILLQUEST_DB_URL",
        dbUrl,
        "SKILLQUEST_DB_USER",
        dbUser,
        "SKILLQUEST_DB_PASSWORD",
        dbPassword,
        "SKILLQUEST_REDIS_URL",
        redisUrl,
        "SKILLQUEST_REDIS_PREFIX",
        redisPrefix);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "StoreConfig[dbUrl="
        + redactedDbUrl()
        + ", dbUser="
        + dbUser
        + ", redisUrl="
        + redactedRedisUrl()
        + ", redisPrefix="
        + redisPrefix
        + "]";
  }

  /** JDBC URLs may carry {@code password=...} as a parameter. */
  private String redactedDbUrl() {
    return dbUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private String redactedRedisUrl() {
    return redisUrl
        .replaceAll("//[^@/]*@", "//***@")
        .replaceAll("(?i)(sentinel-password=)[^&]*", "$1***");
  }

  /** What {@link #redisUrl()} names: one server, a cluster or a sentinel group. */
  public RedisUrl redis() {
    return RedisUrl.parse(redisUrl);
  }

  public StoreConfig withRedisUrl(String url) {
    return new StoreConfig(dbUrl, dbUser, dbPassword, url, redisPrefix);
  }
}
