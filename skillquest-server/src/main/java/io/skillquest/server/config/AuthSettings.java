package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.nio.charset.StandardCharsets;

/**
 * Tokens, password hashing and the limits that guard them.
 *
 * @param jwtSecret SKILLQUEST_JWT_SECRET, the HS256 key
 * @param jwtSecretGenerated true when no key was configured and this one was generated (dev only)
 * @param bcryptCost SKILLQUEST_BCRYPT_COST (12; at least 10 in production)
 * @param loginFailureLimit SKILLQUEST_LOGIN_FAILURE_LIMIT, failed logins per account and client IP
 *     (10/5m); {@link #accountFailureCeiling()} bounds them per account across all IPs
 * @param authIpLimit SKILLQUEST_AUTH_IP_LIMIT, calls to /auth per client IP (300/1m)
 * @param loginIpLimit SKILLQUEST_LOGIN_IP_LIMIT, password verifications per client IP (60/1m): each
 *     costs bcrypt time, so this bounds what one address can make the server burn
 * @param attemptStartLimit SKILLQUEST_ATTEMPT_START_LIMIT, attempts a user may start (60/1m)
 * @param clientRateLimit SKILLQUEST_CLIENT_RATE_LIMIT, calls one API client (a grader) may make
 *     (1200/1m)
 */
public record AuthSettings(
    Secret jwtSecret,
    boolean jwtSecretGenerated,
    int bcryptCost,
    Limit loginFailureLimit,
    Limit authIpLimit,
    Limit loginIpLimit,
    Limit attemptStartLimit,
    Limit clientRateLimit) {
  public static final int MIN_SECRET_BYTES = 32;
  public static final int DEFAULT_BCRYPT_COST = 12;

  /**
   * How many times the per-(account, IP) failure count one account may fail across every IP in the
   * same window: high enough that attackers elsewhere cannot lock its owner out, low enough to stop
   * a distributed guessing run.
   */
  public static final int ACCOUNT_CEILING_FACTOR = 10;

  /** Failed logins one account may take from all client IPs together. */
  public Limit accountFailureCeiling() {
    long count = (long) loginFailureLimit.count() * ACCOUNT_CEILING_FACTOR;
    return new Limit((int) Math.min(Integer.MAX_VALUE, count), loginFailureLimit.window());
  }

  /** Same settings, with a JWT secret (embedded mode keeps a generated one with its data). */
  public AuthSettings withJwtSecret(Secret secret, boolean generated) {
    return new AuthSettings(
        secret,
        generated,
        bcryptCost,
        loginFailureLimit,
        authIpLimit,
        loginIpLimit,
        attemptStartLimit,
        clientRateLimit);
  }

  static AuthSettings read(Env env, boolean production) {
    Secret secret = null;
    boolean generated = false;
    var configured = env.value("SKILLQUEST_JWT_SECRET");
    if (configured.isPresent()) {
      var bytes = configured.get().getBytes(StandardCharsets.UTF_8);
      var weak = Secrets.weakSigningKey(configured.get());
      if (bytes.length < MIN_SECRET_BYTES) {
        env.error(
            "SKILLQUEST_JWT_SECRET must be at least "
                + MIN_SECRET_BYTES
                + " bytes (it has "
                + bytes.length
                + ")");
      } else if (production && weak.isPresent()) {
        env.error("SKILLQUEST_JWT_SECRET " + weak.get());
      } else {
        secret = new Secret(bytes);
      }
    } else if (!production) {
      secret = Secret.random();
      generated = true;
    }
    int cost = env.integer("SKILLQUEST_BCRYPT_COST", DEFAULT_BCRYPT_COST, 4, 31);
    if (production && cost < 10) {
      env.error("SKILLQUEST_BCRYPT_COST must be at least 10 when SKILLQUEST_ENV=production");
    }
    return new AuthSettings(
        secret,
        generated,
        cost,
        Limit.read(env, "SKILLQUEST_LOGIN_FAILURE_LIMIT", "10/5m"),
        Limit.read(env, "SKILLQUEST_AUTH_IP_LIMIT", "300/1m"),
        Limit.read(env, "SKILLQUEST_LOGIN_IP_LIMIT", "60/1m"),
        Limit.read(env, "SKILLQUEST_ATTEMPT_START_LIMIT", "60/1m"),
        Limit.read(env, "SKILLQUEST_CLIENT_RATE_LIMIT", "1200/1m"));
  }
}
