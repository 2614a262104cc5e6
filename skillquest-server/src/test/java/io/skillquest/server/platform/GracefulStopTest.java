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
    // bcrypt at cost 12 takes long enough (a quarter of a second on an idle core) for the stop to
    // begin while the login runs, and short enough to finish within the stop timeout on a loaded
    // one
    var server = TestServer.builder().withoutWorker().env("SKILLQUEST_BCRYPT_COST", "12").start();
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
      Thread.sleep(100);
      server.close();
      assertThat(login.get().status()).isEqualTo(200);
    } finally {
      server.close();
    }
  }
}
