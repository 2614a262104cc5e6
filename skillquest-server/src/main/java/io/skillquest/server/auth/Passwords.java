package io.skillquest.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;

/**
 * bcrypt hashing. Passwords longer than bcrypt's 72 bytes are pre-hashed (SHA-512) instead of
 * truncated.
 */
public final class Passwords {
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;
  private static final LongPasswordStrategy LONG = LongPasswordStrategies.hashSha512(VERSION);

  private final int cost;

  /**
   * Compared against when the user does not exist, so "unknown user" costs as much as "wrong
   * password".
   */
  private final String dummyHash;

  public Passwords(int cost) {
    this.cost = cost;
    this.dummyHash = hash("not-a-real-password-" + System.nanoTime());
  }

  public String hash(String password) {
    return BCrypt.with(VERSION, LONG).hashToString(cost, password.toCharArray());
  }

  public boolean verify(String password, String hash) {
    return BCrypt.verifyer(VERSION, LONG)
        .verify(password.toCharArray(), hash.toCharArray())
        .verified;
  }

  /** Burns the same time as a real check; always false. */
  public boolean verifyAgainstNobody(String password) {
    verify(password, dummyHash);
    return false;
  }
}
