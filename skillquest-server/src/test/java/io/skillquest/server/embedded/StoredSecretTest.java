package io.skillquest.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored secret is created once, kept, and replaced only when the file is unusable. */
class StoredSecretTest {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  @Test
  void createdOnceWithOwnerOnlyPermissionsThenKept(@TempDir Path dir) throws Exception {
    var file = dir.resolve("secret");
    var first = StoredSecret.readOrCreate(file, 24);
    assertThat(first).hasSize(32);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
    assertThat(StoredSecret.readOrCreate(file, 24)).isEqualTo(first);
  }

  @Test
  void anEmptyTruncatedOrBinaryFileIsReplaced(@TempDir Path dir) throws Exception {
    var file = dir.resolve("secret");
    for (var bad :
        new byte[][] {
          {},
          "\n".getBytes(),
          "short".getBytes(),
          {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
        }) {
      Files.write(file, bad);
      var secret = StoredSecret.readOrCreate(file, 24);
      assertThat(secret).hasSize(32).matches("[A-Za-z0-9_-]+");
      assertThat(Files.readString(file).trim()).isEqualTo(secret);
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
    }
  }

  @Test
  void aSecretAnOperatorWroteIsKept(@TempDir Path dir) throws Exception {
    var file = dir.resolve("admin-password");
    Files.writeString(file, "my own admin passphrase\n");
    assertThat(StoredSecret.readOrCreate(file, 18)).isEqualTo("my own admin passphrase");
  }
}
