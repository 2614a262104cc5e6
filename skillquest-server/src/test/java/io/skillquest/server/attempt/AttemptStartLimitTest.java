package io.skillquest.server.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Starting attempts is limited per user (SKILLQUEST_ATTEMPT_START_LIMIT). */
class AttemptStartLimitTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_ATTEMPT_START_LIMIT", "3/1m")
          .extension();

  @Test
  void aUserStartingTooManyAttemptsGets429AndOthersAreUnaffected() {
    long challenge = Fixtures.publishedChallenge(server, 10);
    var eager = server.registerAndLogin("eager");
    for (int i = 0; i < 3; i++) {
      assertThat(
              server.post("/attempts", Map.of("challenge_id", challenge), eager.access()).status())
          .isEqualTo(201);
    }
    var limited = server.post("/attempts", Map.of("challenge_id", challenge), eager.access());
    assertThat(limited.status()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(server.get("/attempts", eager.access()).get("total").asInt())
        .as("the refused start created nothing")
        .isEqualTo(3);

    var calm = server.registerAndLogin("calm");
    assertThat(server.post("/attempts", Map.of("challenge_id", challenge), calm.access()).status())
        .isEqualTo(201);
  }
}
