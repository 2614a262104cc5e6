package io.skillquest.server.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret generated once and kept in a file only its owner can read (mode 600), so the embedded
 * mode's admin password and JWT key survive restarts. The file is created with its permissions in
 * one step: there is no moment where it is world-readable.
 */
public final class StoredSecret {
  private static final Logger log = LoggerFactory.getLogger(StoredSecret.class);
  static final int MIN_CHARS = 16;

  private StoredSecret() {}

  /**
   * The file's content, or a new random secret written to it. A file that is empty or unusable (see
   * {@link #usable}) is replaced with a new secret and a warning, rather than left to fail later
   * (an empty signing key made every login answer 500).
   */
  public static String readOrCreate(Path file, int randomBytes) {
    try {
      if (Files.exists(file)) {
        var stored = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (usable(stored)) {
          return stored;
        }
        log.warn(
            "{} is empty or unusable (fewer than {} printable characters): generating a new secret",
            file.toAbsolutePath(),
            MIN_CHARS);
        Files.delete(file);
      }
      var secret = random(randomBytes);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      return secret;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("could not read or create " + file.toAbsolutePath(), e);
    }
  }

  /**
   * At least {@value #MIN_CHARS} characters, all printable ASCII: what an operator might write in
   * place of a generated secret, and never a truncated or binary file.
   */
  static boolean usable(String stored) {
    return stored.length() >= MIN_CHARS && stored.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  static String random(int bytes) {
    var b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
