package io.skillquest.store;

import io.skillquest.core.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where PostgreSQL and Redis live. The server and the worker read the same variables (SPEC 7), so a
 * worker started beside a server with the same environment file talks to the same stores.
 */
public record StoreConfig(
    String dbUrl, String dbUser, String dbPassword, String redisUrl, String redisPrefix) {

  public static final String DEFAULT_PREFIX = "skillquest:";

  public StoreConfig {
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
    dbUser = dbUser == null ? "" : dbUser;
    dbPassword = dbPassword == null ? "" : dbPassword;
    redisPrefix = redisPrefix == null || redisPrefix.isEmpty() ? DEFAULT_PREFIX : redisPrefix;
  }

  /**
   * Reads SKILLQUEST_DB_URL, SKILLQUEST_DB_USER, SKILLQUEST_DB_PASSWORD, SKILLQUEST_REDIS_URL and
   * SKILLQUEST_REDIS_PREFIX. The two URLs are required; user and password may be empty (peer
   * authentication, or credentials inside the URL).
   *
   * @throws IllegalArgumentException naming every missing variable
   */
  public static StoreConfig fromEnv(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    String dbUrl = blankToNull(env.get("SKILLQUEST_DB_URL"));
    String redisUrl = blankToNull(env.get("SKILLQUEST_REDIS_URL"));
    if (dbUrl == null) missing.add("SKILLQUEST_DB_URL");
    if (redisUrl == null) missing.add("SKILLQUEST_REDIS_URL");
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing configuration: " + String.join(", ", missing));
    }
    return new StoreConfig(
        dbUrl,
        env.get("SKILLQUEST_DB_USER"),
        env.get("SKILLQUEST_DB_PASSWORD"),
        redisUrl,
        blankToNull(env.get("SKILLQUEST_REDIS_PREFIX")));
  }

  /** True when both store URLs are set, i.e. {@link #fromEnv} would succeed. */
  public static boolean presentIn(Map<String, String> env) {
    return blankToNull(env.get("SKILLQUEST_DB_URL")) != null
        && blankToNull(env.get("SKILLQUEST_REDIS_URL")) != null;
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
    return redisUrl.replaceAll("//[^@/]*@", "//***@");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
