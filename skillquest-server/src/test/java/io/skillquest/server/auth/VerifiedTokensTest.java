package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.server.config.Secret;
import io.skillquest.server.http.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Access tokens verified once are answered from memory, but never past their expiry. */
class VerifiedTokensTest {

  private static final Secret SECRET = Secret.random();

  @Test
  void aTokenVerifiedBeforeIsStillRefusedOnceItExpires() throws Exception {
    // signed so that it expires one second from now
    var signedAt = Instant.now().minus(Tokens.Type.ACCESS.ttl).plus(Duration.ofSeconds(1));
    var signer = new Tokens(SECRET, Clock.fixed(signedAt, ZoneOffset.UTC));
    var tokens = new Tokens(SECRET, Clock.systemUTC());
    var token = signer.sign(Tokens.Type.ACCESS, 7, "seven", "user", UUID.randomUUID()).token();

    var claims = tokens.verify(token, Tokens.Type.ACCESS);
    assertThat(claims.userId()).isEqualTo(7);
    assertThat(tokens.verify(token, Tokens.Type.ACCESS)).isEqualTo(claims);

    Thread.sleep(Duration.ofSeconds(1).plus(Tokens.LEEWAY).plusMillis(1200).toMillis());
    assertThatThrownBy(() -> tokens.verify(token, Tokens.Type.ACCESS))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("expired");
  }

  @Test
  void onlyTheExactTextIsRemembered() {
    var tokens = new Tokens(SECRET, Clock.systemUTC());
    var token = tokens.sign(Tokens.Type.ACCESS, 8, "eight", "user", UUID.randomUUID()).token();
    tokens.verify(token, Tokens.Type.ACCESS);
    var tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    assertThatThrownBy(() -> tokens.verify(tampered, Tokens.Type.ACCESS))
        .isInstanceOf(Problem.class);
    assertThatThrownBy(() -> tokens.verify(token, Tokens.Type.REFRESH))
        .as("a cached access token is still not a refresh token")
        .isInstanceOf(Problem.class);
  }
}
