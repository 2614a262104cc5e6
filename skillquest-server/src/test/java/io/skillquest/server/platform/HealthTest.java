package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import io.skillquest.store.testing.TestStores;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  @Test
  void healthyWhenBothStoresAnswer() {
    for (var path : new String[] {"/api/v1/health", "/health"}) {
      var r = server.call("GET", path, null, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body())
          .isEqualTo(
              TestServer.toJsonTree(Map.of("status", "ok", "postgres", "up", "redis", "up")));
    }
  }

  @Test
  void redisDownIs503NamingIt() {
    var user = server.registerAndLogin("outage");
    try (var outage = TestStores.redisOutage()) {
      var r = server.get("/health", null);
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.get("redis").asText()).isEqualTo("down");
      assertThat(r.get("postgres").asText()).isEqualTo("up");
      assertThat(r.get("detail").asText()).contains("redis");
      // token revocation fails open: signed-in calls keep working while Redis is down
      assertThat(server.get("/auth/me", user.access()).status()).isEqualTo(200);
      // and logins too (the rate limiter fails open)
      assertThat(
              server
                  .post(
                      "/auth/login",
                      Map.of("username", "outage", "password", TestServer.passwordOf("outage")),
                      null)
                  .status())
          .isEqualTo(200);
    }
    TestServer.await(
        "redis back",
        java.time.Duration.ofSeconds(10),
        () -> server.get("/health", null).status() == 200);
  }
}
