package io.skillquest.core;

import java.util.Objects;

/**
 * The Redis key names, all under one prefix so several deployments (or test runs) can share a
 * Redis.
 *
 * <p><b>Redis Cluster.</b> A cluster stores each key on the node serving its hash slot, and refuses
 * a multi-key command or script whose keys are in different slots. A hash tag (the text between a
 * key's first {@code '{'} and the next {@code '}'}) decides the slot when present, so keys used
 * together share one: every leaderboard key (the all-time board, the period boards, their member
 * hashes, rebuild copies and locks) carries {@code {lb}}, and the dead-letter list carries the
 * whole queue name as its tag, which puts it in the queue's slot while the queue keeps its untagged
 * name. Keys that stand alone (rate limits, revocations, idempotency keys, locks) carry no tag and
 * spread over the nodes. For the tags to work the prefix itself may hold no braces.
 *
 * @param prefix prepended to every key, e.g. {@code "skillquest:"}; may be empty, not null, and may
 *     not contain {@code '{'} or {@code '}'}
 */
public record Keys(String prefix) {

  /** The prefix used when none is configured. */
  public static final String DEFAULT_PREFIX = "skillquest:";

  /**
   * Validates the prefix.
   *
   * @param prefix the key prefix
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if it contains a brace (it would change the hash tags)
   */
  public Keys {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "a key prefix may not contain '{' or '}' (they would change the Redis Cluster hash tags)");
    }
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
   * Where unprocessable queue messages are set aside. Its hash tag is the queue's whole name, so in
   * a cluster it lives in the queue's slot (replaying a letter moves it atomically) while the queue
   * keeps the name servers of every version push to.
   *
   * @return {@code "{" + queue() + "}:dead"}, e.g. {@code {skillquest:queue:awards}:dead}
   */
  public String deadLetters() {
    return "{" + queue() + "}:dead";
  }

  /**
   * The dead-letter list's name before it was given the queue's hash tag; a worker moves what it
   * finds there to {@link #deadLetters()} when it starts.
   *
   * @return {@code prefix + "queue:dead"}
   */
  public String legacyDeadLetters() {
    return prefix + "queue:dead";
  }

  /**
   * The hash tag shared by every leaderboard key. Keys used together in one script or multi-key
   * command must hash to the same Redis Cluster slot, and a Redis hash tag (the text between the
   * first {@code '{'} and the next {@code '}'}) is what decides the slot.
   */
  public static final String LEADERBOARD_TAG = "{lb}";

  /**
   * The all-time leaderboard sorted set: score = total XP, member = {@code RankCodec} member
   * (inverted time of reaching it, inverted user id).
   *
   * @return {@code prefix + "{lb}:board"}
   */
  public String leaderboard() {
    return prefix + LEADERBOARD_TAG + ":board";
  }

  /**
   * The hash from user id to that user's current member in {@link #leaderboard()}, so a user's
   * entry can be found and replaced without scanning.
   *
   * @return {@code prefix + "{lb}:board:members"}
   */
  public String leaderboardMembers() {
    return leaderboard() + ":members";
  }

  /**
   * The live sorted set of one period window (a day, week or month board): score = XP earned in the
   * window, member = {@code RankCodec} member with the time the user reached that sum. Its
   * user-to-member hash is this key plus {@code ":members"}. The window id names no zone: changing
   * the board zone starts new keys only where the ids differ.
   *
   * @param windowId e.g. {@code week:2026-W49}
   * @return {@code prefix + "{lb}:period:" + windowId}
   */
  public String periodBoard(String windowId) {
    return prefix + LEADERBOARD_TAG + ":period:" + Objects.requireNonNull(windowId, "windowId");
  }

  /**
   * The user-to-member hash of a period window's board.
   *
   * @param windowId e.g. {@code week:2026-W49}
   * @return {@code periodBoard(windowId) + ":members"}
   */
  public String periodBoardMembers(String windowId) {
    return periodBoard(windowId) + ":members";
  }

  /**
   * The lock held while the leaderboard is rebuilt.
   *
   * @return {@code prefix + "{lb}:rebuild-lock"}
   */
  public String leaderboardLock() {
    return prefix + LEADERBOARD_TAG + ":rebuild-lock";
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
