package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A logout racing a refresh of the same login must still end the whole login, the fresh successor
 * included.
 */
class LogoutRaceTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  @Test
  void aRefreshRacingLogoutNeverYieldsATokenThatOutlivesTheLogout() {
    server.registerAndLogin("racer");
    for (int round = 0; round < 15; round++) {
      var login = server.login("racer", server.passwordOf("racer"));
      var refreshed =
          CompletableFuture.supplyAsync(
              () -> server.post("/auth/refresh", Map.of("refresh_token", login.refresh()), null));
      var loggedOut =
          CompletableFuture.supplyAsync(() -> server.post("/auth/logout", null, login.access()));
      assertThat(loggedOut.join().status()).isEqualTo(204);
      var rotation = refreshed.join();
      if (rotation.status() == 200) {
        var successor = rotation.body().get("refresh_token").asText();
        assertThat(server.post("/auth/refresh", Map.of("refresh_token", successor), null).status())
            .as("round %d: the successor issued during logout is revoked too", round)
            .isEqualTo(401);
      } else {
        assertThat(rotation.status()).isEqualTo(401);
      }
    }
  }
}
