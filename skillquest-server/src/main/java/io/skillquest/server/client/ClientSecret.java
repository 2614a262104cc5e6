package io.skillquest.server.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An API client's secret: {@code sq_<key id>_<random>}, the key id 16 hex digits that find the
 * client by a unique index, the rest 32 random bytes (base64url). Only the key id and a SHA-256
 * hash of the whole secret are stored: with 256 random bits nobody can recover it from the hash, so
 * the slow hashes passwords need (bcrypt) would only make every request slower.
 */
record ClientSecret(String keyId, String text) {
  static final String PREFIX = "sq_";
  private static final int KEY_ID_BYTES = 8;
  private static final int RANDOM_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  static ClientSecret generate() {
    var id = new byte[KEY_ID_BYTES];
    var secret = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String keyId = HexFormat.of().formatHex(id);
    return new ClientSecret(
        keyId,
        PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** True for anything shaped like a client secret, valid or not (user tokens never start so). */
  static boolean looksLike(String token) {
    return token.startsWith(PREFIX);
  }

  /** The secret in {@code token}, when it has the shape of one; its key id is not yet checked. */
  static Optional<ClientSecret> parse(String token) {
    int keyEnd = PREFIX.length() + 2 * KEY_ID_BYTES;
    if (!looksLike(token) || token.length() <= keyEnd + 1 || token.charAt(keyEnd) != '_') {
      return Optional.empty();
    }
    String keyId = token.substring(PREFIX.length(), keyEnd);
    if (!keyId.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return Optional.empty();
    }
    return Optional.of(new ClientSecret(keyId, token));
  }

  byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Compares in time independent of where the hashes differ. */
  boolean matches(byte[] storedHash) {
    return MessageDigest.isEqual(hash(), storedHash);
  }

  @Override
  public String toString() {
    return "ClientSecret[keyId=" + keyId + "]";
  }
}
