package io.skillquest.server.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be, after NIST SP 800-63B: long enough, and not one an attacker tries
 * first. No composition rules (they push people to predictable patterns); instead a password is
 * refused when it is blank, one character repeated, equal to or containing the username, or among
 * the 10,000 most common passwords of the bundled list ({@code common-passwords.txt}, compared
 * ignoring case).
 */
final class PasswordPolicy {
  static final int MIN_LENGTH = 8;
  static final int MAX_LENGTH = 128;
  private static final String LIST = "common-passwords.txt";

  private final Set<String> common;

  private PasswordPolicy(Set<String> common) {
    this.common = common;
  }

  /** The policy with the bundled list of common passwords. */
  static PasswordPolicy load() {
    var in = PasswordPolicy.class.getResourceAsStream(LIST);
    if (in == null) {
      throw new IllegalStateException(LIST + " is missing from the class path");
    }
    var words = new HashSet<String>();
    try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          words.add(line.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + LIST, e);
    }
    return new PasswordPolicy(Set.copyOf(words));
  }

  /** Why {@code password} may not be used by {@code username}; empty when it may. */
  Optional<String> problem(String password, String username) {
    if (password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
      return Optional.of("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
    if (password.isBlank()) {
      return Optional.of("must not be only spaces");
    }
    if (password.codePoints().distinct().count() == 1) {
      return Optional.of("must not be one character repeated");
    }
    var lower = password.toLowerCase(Locale.ROOT);
    if (username != null
        && !username.isEmpty()
        && lower.contains(username.toLowerCase(Locale.ROOT))) {
      return Optional.of("must not contain the username");
    }
    if (common.contains(lower)) {
      return Optional.of("is one of the most common passwords; choose another");
    }
    return Optional.empty();
  }
}
