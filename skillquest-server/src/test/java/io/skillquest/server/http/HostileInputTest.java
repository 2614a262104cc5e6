package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input that passes JSON parsing but that PostgreSQL or the worker could choke on: a 4xx, never a
 * 500.
 */
class HostileInputTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  @Test
  void nulCharactersAreRefusedAsBadInputNotServerErrors() {
    assertThat(server.get("/challenges?tag=%00", null).status()).isEqualTo(400);
    var login =
        server.post(
            "/auth/login", Map.of("username", "ab\u0000c", "password", "whatever-123"), null);
    assertThat(login.status()).isBetween(400, 401);
    var register =
        server.post(
            "/auth/register",
            Map.of(
                "username",
                "nulmail",
                "email",
                "nul\u0000@example.com",
                "password",
                "password-123"),
            null);
    assertThat(register.status()).isEqualTo(400);
    long stored =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM users WHERE username = 'nulmail'")
                        .mapTo(Long.class)
                        .one());
    assertThat(stored).isZero();
  }

  @Test
  void javaOnlyTimeZonesAreRefusedAtRegistration() {
    var reply =
        server.post(
            "/auth/register",
            Map.of(
                "username",
                "systemv",
                "email",
                "systemv@example.com",
                "password",
                "password-123",
                "time_zone",
                "SystemV/AST4"),
            null);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.text()).contains("time_zone");
  }

  @Test
  void anAttemptOnADeletedChallengeCannotBeSubmitted() {
    var admin = server.adminToken();
    long challenge =
        server
            .post(
                "/challenges",
                Map.of("title", "Soon gone", "xp", 100, "difficulty", "easy", "published", true),
                admin)
            .body()
            .get("id")
            .asLong();
    var player = server.registerAndLogin("latecomer");
    long attempt =
        server
            .post("/attempts", Map.of("challenge_id", challenge), player.access())
            .body()
            .get("id")
            .asLong();
    assertThat(server.delete("/challenges/" + challenge, admin).status()).isEqualTo(204);

    var submit =
        server.post("/attempts/" + attempt + "/submit", Map.of("score", 100), player.access());
    assertThat(submit.status()).isEqualTo(404);
    assertThat(server.get("/attempts/" + attempt, player.access()).body().get("status").asText())
        .isEqualTo("started");
  }
}
