package io.skillquest.server.config;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses secrets that are not secret: a value copied from an example file, or one too predictable
 * to sign tokens with. A token signed with a shipped placeholder is a forged admin token, so
 * production start-up fails instead.
 */
final class Secrets {

  /** Signing keys need about as much unpredictability as the HMAC's security level. */
  static final double MIN_SIGNING_KEY_BITS = 128;

  private static final List<String> PLACEHOLDERS =
      List.of(
          "change-me",
          "changeme",
          "change_me",
          "change it",
          "replace-me",
          "replaceme",
          "placeholder",
          "example",
          "your-secret",
          "yoursecret",
          "secret-here",
          "xxxxxxxx",
          "password",
          "letmein",
          "default");

  private Secrets() {}

  /** Why the value looks like a placeholder, or empty when it does not. */
  static Optional<String> placeholder(String value) {
    var lower = value.toLowerCase(Locale.ROOT);
    for (var word : PLACEHOLDERS) {
      if (lower.contains(word)) {
        return Optional.of("looks like a placeholder ('" + word + "'); generate a real one");
      }
    }
    return Optional.empty();
  }

  /** Why the value is unfit to sign tokens, or empty when it is fit. */
  static Optional<String> weakSigningKey(String value) {
    var placeholder = placeholder(value);
    if (placeholder.isPresent()) {
      return placeholder;
    }
    double bits = estimatedBits(value);
    if (bits < MIN_SIGNING_KEY_BITS) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "is too predictable (about %.0f bits, at least %.0f needed); e.g. `openssl rand"
                  + " -base64 48`",
              bits,
              MIN_SIGNING_KEY_BITS));
    }
    return Optional.empty();
  }

  /**
   * An upper bound on the value's entropy: its length times the Shannon entropy of its own
   * character frequencies. Random keys in hex or base64 score 4-6 bits a character; words,
   * repetitions and keyboard runs score far less.
   */
  static double estimatedBits(String value) {
    var bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      return 0;
    }
    var counts = new HashMap<Byte, Integer>();
    for (byte b : bytes) {
      counts.merge(b, 1, Integer::sum);
    }
    double perChar = 0;
    for (int n : counts.values()) {
      double p = (double) n / bytes.length;
      perChar -= p * (Math.log(p) / Math.log(2));
    }
    return perChar * bytes.length;
  }
}
