package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping lets a request in flight finish instead of cutting its connection. */
class GracefulStopTest {

  @Test
  void requestInFlightCompletesDuringStop() throws Exception {
    // bcrypt at cost 14 takes long enough (about a second) for the stop to begin while the login
    // runs
    var server = TestServer.builder().withoutWorker().env("SKILLQUEST_BCRYPT_COST", "14").start();
    try {
      var login =
          CompletableFuture.supplyAsync(
              () ->
                  server.post(
                      "/auth/login",
                      Map.of(
                          "username",
                          TestServer.ADMIN_USERNAME,
                          "password",
                          TestServer.ADMIN_PASSWORD),
                      null));
      Thread.sleep(300);
      server.close();
      assertThat(login.get().status()).isEqualTo(200);
    } finally {
      server.close();
    }
  }
}
