package io.skillquest.server.config;

import io.skillquest.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Server configuration from environment variables (SPEC 7). {@link #fromEnv(Map)} takes a map so
 * tests pass their own; every problem found is reported at once, naming the variable.
 *
 * <p>{@code stores} is empty in embedded mode (neither SKILLQUEST_DB_URL nor SKILLQUEST_REDIS_URL
 * set): the server then starts its own PostgreSQL and Redis under {@code dataDir}.
 */
public record Config(
    boolean production,
    int port,
    Optional<StoreConfig> stores,
    String redisPrefix,
    Secret jwtSecret,
    boolean jwtSecretGenerated,
    List<String> corsOrigins,
    String adminUsername,
    Optional<String> adminPassword,
    Limit loginFailureLimit,
    Limit authIpLimit,
    Path dataDir,
    int bcryptCost,
    boolean runWorker,
    int dbPoolSize,
    int embeddedPostgresPort,
    int embeddedRedisPort,
    TrustedProxies trustedProxies) {

  public static final int DEFAULT_PORT = 8080;
  public static final int MIN_SECRET_BYTES = 32;
  public static final int DEFAULT_BCRYPT_COST = 12;
  public static final Path DEFAULT_DATA_DIR = Path.of("data", "skillquest");

  /** Settings with no safe default: production refuses to start without them. */
  static final List<String> REQUIRED_IN_PRODUCTION =
      List.of(
          "SKILLQUEST_DB_URL",
          "SKILLQUEST_DB_USER",
          "SKILLQUEST_DB_PASSWORD",
          "SKILLQUEST_REDIS_URL",
          "SKILLQUEST_JWT_SECRET",
          "SKILLQUEST_CORS_ORIGINS");

  private static final Pattern LIMIT =
      Pattern.compile("^\\s*(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*(ms|s|m|h)\\s*$");

  public Config {
    corsOrigins = List.copyOf(corsOrigins);
  }

  public boolean embedded() {
    return stores.isEmpty();
  }

  /** Same settings, with the stores the embedded mode started. */
  public Config withStores(StoreConfig s) {
    return new Config(
        production,
        port,
        Optional.of(s),
        redisPrefix,
        jwtSecret,
        jwtSecretGenerated,
        corsOrigins,
        adminUsername,
        adminPassword,
        loginFailureLimit,
        authIpLimit,
        dataDir,
        bcryptCost,
        runWorker,
        dbPoolSize,
        embeddedPostgresPort,
        embeddedRedisPort,
        trustedProxies);
  }

  /**
   * Same settings, with a JWT secret (embedded mode keeps a generated one in its data directory).
   */
  public Config withJwtSecret(Secret secret, boolean generated) {
    return new Config(
        production,
        port,
        stores,
        redisPrefix,
        secret,
        generated,
        corsOrigins,
        adminUsername,
        adminPassword,
        loginFailureLimit,
        authIpLimit,
        dataDir,
        bcryptCost,
        runWorker,
        dbPoolSize,
        embeddedPostgresPort,
        embeddedRedisPort,
        trustedProxies);
  }

  /**
   * Same settings, with an admin password (embedded mode generates one when none is configured).
   */
  public Config withAdminPassword(String password) {
    return new Config(
        production,
        port,
        stores,
        redisPrefix,
        jwtSecret,
        jwtSecretGenerated,
        corsOrigins,
        adminUsername,
        Optional.of(password),
        loginFailureLimit,
        authIpLimit,
        dataDir,
        bcryptCost,
        runWorker,
        dbPoolSize,
        embeddedPostgresPort,
        embeddedRedisPort,
        trustedProxies);
  }

  public static Config fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * @throws IllegalArgumentException listing every missing or malformed variable
   */
  public static Config fromEnv(Map<String, String> env) {
    var errors = new ArrayList<String>();
    var production =
        "production".equalsIgnoreCase(value(env, "SKILLQUEST_ENV").orElse("development"));
    if (production) {
      for (var name : REQUIRED_IN_PRODUCTION) {
        // CORS may be set to an empty value (no browser origins); absent means nobody decided
        boolean present =
            name.equals("SKILLQUEST_CORS_ORIGINS")
                ? env.get(name) != null
                : value(env, name).isPresent();
        if (!present) {
          errors.add(name + " is required when SKILLQUEST_ENV=production");
        }
      }
    }

    int port = integer(env, "SKILLQUEST_PORT", DEFAULT_PORT, 0, 65535, errors);
    var prefix = value(env, "SKILLQUEST_REDIS_PREFIX").orElse(StoreConfig.DEFAULT_PREFIX);

    Optional<StoreConfig> stores = Optional.empty();
    boolean hasDb = value(env, "SKILLQUEST_DB_URL").isPresent();
    boolean hasRedis = value(env, "SKILLQUEST_REDIS_URL").isPresent();
    if (hasDb && hasRedis) {
      var db = value(env, "SKILLQUEST_DB_URL").orElseThrow();
      if (!db.startsWith("jdbc:postgresql://")) {
        errors.add("SKILLQUEST_DB_URL must be a JDBC URL like jdbc:postgresql://host:5432/db");
      }
      var redis = value(env, "SKILLQUEST_REDIS_URL").orElseThrow();
      if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
        errors.add("SKILLQUEST_REDIS_URL must be a URL like redis://host:6379");
      }
      stores =
          Optional.of(
              new StoreConfig(
                  db,
                  env.get("SKILLQUEST_DB_USER"),
                  env.get("SKILLQUEST_DB_PASSWORD"),
                  redis,
                  prefix));
    } else if (hasDb != hasRedis && !production) {
      // one without the other is a typo, not a request for embedded mode
      errors.add(
          (hasDb ? "SKILLQUEST_REDIS_URL" : "SKILLQUEST_DB_URL")
              + " is required when "
              + (hasDb ? "SKILLQUEST_DB_URL" : "SKILLQUEST_REDIS_URL")
              + " is set (set neither for the embedded mode)");
    }

    Secret secret = null;
    boolean generated = false;
    var configuredSecret = value(env, "SKILLQUEST_JWT_SECRET");
    if (configuredSecret.isPresent()) {
      var bytes = configuredSecret.get().getBytes(StandardCharsets.UTF_8);
      if (bytes.length < MIN_SECRET_BYTES) {
        errors.add(
            "SKILLQUEST_JWT_SECRET must be at least "
                + MIN_SECRET_BYTES
                + " bytes (it has "
                + bytes.length
                + ")");
      } else if (production && Secrets.weakSigningKey(configuredSecret.get()).isPresent()) {
        errors.add("SKILLQUEST_JWT_SECRET " + Secrets.weakSigningKey(configuredSecret.get()).get());
      } else {
        secret = new Secret(bytes);
      }
    } else if (!production) {
      secret = Secret.random();
      generated = true;
    }

    var cors = value(env, "SKILLQUEST_CORS_ORIGINS").map(Config::origins).orElse(List.of());
    for (var origin : cors) {
      if (!origin.equals("*") && !origin.matches("^https?://[^/\\s]+$")) {
        errors.add(
            "SKILLQUEST_CORS_ORIGINS: '"
                + origin
                + "' is not an origin like https://app.example.com or *");
      }
    }

    var adminUsername = value(env, "SKILLQUEST_ADMIN_USERNAME").orElse("admin");
    if (!adminUsername.matches("^[A-Za-z0-9_.-]{3,32}$")) {
      errors.add("SKILLQUEST_ADMIN_USERNAME must match ^[A-Za-z0-9_.-]{3,32}$");
    }
    var adminPassword = value(env, "SKILLQUEST_ADMIN_PASSWORD");
    if (adminPassword.isPresent()
        && (adminPassword.get().length() < 8 || adminPassword.get().length() > 128)) {
      errors.add("SKILLQUEST_ADMIN_PASSWORD must be 8 to 128 characters");
    }
    if (production) {
      for (var name : List.of("SKILLQUEST_ADMIN_PASSWORD", "SKILLQUEST_DB_PASSWORD")) {
        value(env, name)
            .flatMap(Secrets::placeholder)
            .ifPresent(why -> errors.add(name + " " + why));
      }
    }

    var loginLimit = limit(env, "SKILLQUEST_LOGIN_FAILURE_LIMIT", "10/5m", errors);
    var ipLimit = limit(env, "SKILLQUEST_AUTH_IP_LIMIT", "300/1m", errors);
    var dataDir = value(env, "SKILLQUEST_DATA_DIR").map(Path::of).orElse(DEFAULT_DATA_DIR);
    int cost = integer(env, "SKILLQUEST_BCRYPT_COST", DEFAULT_BCRYPT_COST, 4, 31, errors);
    if (production && cost < 10) {
      errors.add("SKILLQUEST_BCRYPT_COST must be at least 10 when SKILLQUEST_ENV=production");
    }
    int poolSize = integer(env, "SKILLQUEST_DB_POOL_SIZE", 10, 1, 200, errors);
    int pgPort = integer(env, "SKILLQUEST_EMBEDDED_PG_PORT", 5433, 0, 65535, errors);
    int redisPort = integer(env, "SKILLQUEST_EMBEDDED_REDIS_PORT", 6380, 0, 65535, errors);
    boolean embedded = !(hasDb && hasRedis);
    // embedded mode is one command for a whole system, so it runs the worker too; otherwise opt-in
    boolean worker = bool(env, "SKILLQUEST_RUN_WORKER", embedded, errors);
    var proxies = TrustedProxies.NONE;
    try {
      proxies = TrustedProxies.parse(value(env, "SKILLQUEST_TRUSTED_PROXIES").orElse(""));
    } catch (IllegalArgumentException e) {
      errors.add("SKILLQUEST_TRUSTED_PROXIES: " + e.getMessage());
    }

    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
    return new Config(
        production,
        port,
        stores,
        prefix,
        secret,
        generated,
        cors,
        adminUsername,
        adminPassword,
        loginLimit,
        ipLimit,
        dataDir,
        cost,
        worker,
        poolSize,
        pgPort,
        redisPort,
        proxies);
  }

  /**
   * Parses "10/5m": {@code count} events per {@code window}; the unit is ms, s, m or h, the number
   * defaults to 1.
   */
  static Limit parseLimit(String text) {
    var m = LIMIT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must look like 10/5m (count/window, window unit ms, s, m or h)");
    }
    int count = Integer.parseInt(m.group(1));
    long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    var window =
        switch (m.group(3)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    if (count < 1 || window.isZero()) {
      throw new IllegalArgumentException("count and window must be positive");
    }
    return new Limit(count, window);
  }

  private static List<String> origins(String raw) {
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Limit limit(
      Map<String, String> env, String name, String fallback, List<String> errors) {
    var raw = value(env, name).orElse(fallback);
    try {
      return parseLimit(raw);
    } catch (IllegalArgumentException e) {
      errors.add(name + " '" + raw + "' " + e.getMessage());
      return parseLimit(fallback);
    }
  }

  private static int integer(
      Map<String, String> env, String name, int fallback, int min, int max, List<String> errors) {
    var raw = value(env, name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    errors.add(name + " must be an integer between " + min + " and " + max);
    return fallback;
  }

  private static boolean bool(
      Map<String, String> env, String name, boolean fallback, List<String> errors) {
    var raw = value(env, name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase()) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> {
        errors.add(name + " must be true or false");
        yield fallback;
      }
    };
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    var v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** "count events per window", e.g. 10 failed logins per 5 minutes. */
  public record Limit(int count, Duration window) {
    @Override
    public String toString() {
      return count + "/" + window.toSeconds() + "s";
    }
  }

  /** Key material that never prints itself, so a logged Config leaks nothing. */
  public static final class Secret {
    private final byte[] bytes;

    public Secret(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    public static Secret random() {
      var b = new byte[48];
      new SecureRandom().nextBytes(b);
      return new Secret(b);
    }

    public static Secret fromHex(String hex) {
      return new Secret(HexFormat.of().parseHex(hex));
    }

    public String toHex() {
      return HexFormat.of().formatHex(bytes);
    }

    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "Secret[redacted]";
    }
  }

  /** Never prints passwords or the JWT secret. */
  @Override
  public String toString() {
    return "Config[production="
        + production
        + ", port="
        + port
        + ", stores="
        + stores.map(Object::toString).orElse("embedded")
        + ", corsOrigins="
        + corsOrigins
        + ", adminUsername="
        + adminUsername
        + ", loginFailureLimit="
        + loginFailureLimit
        + ", authIpLimit="
        + authIpLimit
        + ", dataDir="
        + dataDir
        + ", bcryptCost="
        + bcryptCost
        + ", runWorker="
        + runWorker
        + "]";
  }
}
