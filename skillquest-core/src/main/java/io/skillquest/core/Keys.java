package io.skillquest.core;

import java.util.Objects;

/**
 * The Redis key names, all under one prefix so several deployments (or test runs) can share a
 * Redis.
 *
 * @param prefix prepended to every key, e.g. {@code "skillquest:"}; may be empty, not null
 */
public record Keys(String prefix) {

  /** The prefix used when none is configured. */
  public static final String DEFAULT_PREFIX = "skillquest:";

  /**
   * Validates the prefix.
   *
   * @param prefix the key prefix
   * @throws NullPointerException if {@code prefix} is null
   */
  public Keys {
    Objects.requireNonNull(prefix, "prefix");
  }

  /** Keys under {@link #DEFAULT_PREFIX}. */
  public Keys() {
    this(DEFAULT_PREFIX);
  }

  /**
   * The award queue (a list: {@code LPUSH} by the server, {@code BRPOP} by workers).
   *
   * @return {@code prefix + "queue:awards"}
   */
  public String queue() {
    return prefix + "queue:awards";
  }

  /**
   * Where unprocessable queue messages are set aside.
   *
   * @return {@code prefix + "queue:dead"}
   */
  public String deadLetters() {
    return prefix + "queue:dead";
  }

  /**
   * The leaderboard sorted set.
   *
   * @return {@code prefix + "leaderboard"}
   */
  public String leaderboard() {
    return prefix + "leaderboard";
  }

  /**
   * The lock held while the leaderboard is rebuilt.
   *
   * @return {@code prefix + "leaderboard:rebuild-lock"}
   */
  public String leaderboardLock() {
    return prefix + "leaderboard:rebuild-lock";
  }

  /**
   * The marker of a revoked access token.
   *
   * @param jti the token's id
   * @return {@code prefix + "revoked:" + jti}
   */
  public String revokedToken(String jti) {
    return prefix + "revoked:" + Objects.requireNonNull(jti, "jti");
  }

  /** Marks every access token of one login (refresh family) revoked; lives as long as they do. */
  public String revokedFamily(java.util.UUID familyId) {
    return revokedToken("family:" + familyId);
  }

  /**
   * A rate-limit bucket.
   *
   * @param scope what is limited, e.g. {@code "login"}
   * @param subject who is limited, e.g. a username or client IP
   * @return {@code prefix + "ratelimit:" + scope + ":" + subject}
   */
  public String rateLimit(String scope, String subject) {
    return prefix
        + "ratelimit:"
        + Objects.requireNonNull(scope, "scope")
        + ":"
        + Objects.requireNonNull(subject, "subject");
  }

  /**
   * A named lock.
   *
   * @param name the lock's name
   * @return {@code prefix + "lock:" + name}
   */
  public String lock(String name) {
    return prefix + "lock:" + Objects.requireNonNull(name, "name");
  }
}
