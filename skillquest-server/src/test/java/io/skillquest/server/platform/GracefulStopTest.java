package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping lets a request in flight finish instead of cutting its connection. */
class GracefulStopTest {

  @Test
  void requestInFlightCompletesDuringStop() throws Exception {
    // bcrypt at cost 12 takes long enough (a quarter of a second on an idle core) to catch the
    // login
    // inside it, and is short enough to finish within the stop timeout on a loaded one
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
      // the server runs in this JVM: stop only once a request thread is checking the password, so
      // the request is in flight however slowly a loaded box got it there
      TestServer.await(
          "the login to be checking the password",
          Duration.ofSeconds(30),
          () ->
              Thread.getAllStackTraces().values().stream()
                  .flatMap(Arrays::stream)
                  .anyMatch(f -> f.getClassName().startsWith("at.favre.lib.crypto.bcrypt.")));
      server.close();
      assertThat(login.get().status()).isEqualTo(200);
    } finally {
      server.close();
    }
  }
}
