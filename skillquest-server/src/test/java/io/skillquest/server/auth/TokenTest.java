package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.skillquest.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way a token can be wrong ends in 401, on user routes and on open routes alike. */
class TokenTest {
  @RegisterExtension static final TestServer server = TestServer.builder().extension();
  static TestServer.Tokens user;

  @BeforeAll
  static void start() {
    user = server.registerAndLogin("tokenuser");
  }

  private static String forge(String typ, Instant expires, String secret) {
    return forge(typ, expires, secret, "skillquest", "skillquest-api");
  }

  private static String forge(
      String typ, Instant expires, String secret, String issuer, String audience) {
    var jwt = JWT.create();
    if (issuer != null) {
      jwt.withIssuer(issuer);
    }
    if (audience != null) {
      jwt.withAudience(audience);
    }
    return jwt.withSubject(Long.toString(user.userId()))
        .withClaim("name", "tokenuser")
        .withClaim("role", "admin")
        .withClaim("typ", typ)
        .withJWTId(UUID.randomUUID().toString())
        .withClaim("fam", UUID.randomUUID().toString())
        .withIssuedAt(Instant.now().minusSeconds(7200))
        .withExpiresAt(expires)
        .sign(Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertRejected(String token) {
    var me = server.get("/auth/me", token);
    assertThat(me.status()).as(me.toString()).isEqualTo(401);
    assertThat(me.header("WWW-Authenticate")).isEqualTo("Bearer");
    // a bad token is not silently treated as anonymous on open routes either
    assertThat(server.get("/badges", token).status()).isEqualTo(401);
  }

  @Test
  void aValidForgedTokenProvesTheSecretIsTheOneConfigured() {
    var token = forge("access", Instant.now().plusSeconds(60), TestServer.JWT_SECRET);
    assertThat(server.get("/auth/me", token).status()).isEqualTo(200);
  }

  @Test
  void issuerAndAudienceAreRequired() {
    var expires = Instant.now().plusSeconds(600);
    assertRejected(forge("access", expires, TestServer.JWT_SECRET, null, "skillquest-api"));
    assertRejected(forge("access", expires, TestServer.JWT_SECRET, "skillquest", null));
    assertRejected(forge("access", expires, TestServer.JWT_SECRET, "other", "skillquest-api"));
    assertRejected(forge("access", expires, TestServer.JWT_SECRET, "skillquest", "other-api"));
    assertThat(
            server
                .post(
                    "/auth/refresh",
                    Map.of(
                        "refresh_token",
                        forge("refresh", expires, TestServer.JWT_SECRET, null, null)),
                    null)
                .status())
        .isEqualTo(401);
  }

  @Test
  void issuedTokensCarryIssuerAndAudience() {
    var payload =
        new String(
            Base64.getUrlDecoder().decode(user.access().split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("\"iss\":\"skillquest\"").contains("\"aud\":\"skillquest-api\"");
  }

  @Test
  void aFewSecondsOfClockSkewAreTolerated() {
    // another instance's clock runs a little ahead: its token looks just expired here
    var justExpired = forge("access", Instant.now().minusSeconds(2), TestServer.JWT_SECRET);
    assertThat(server.get("/auth/me", justExpired).status()).isEqualTo(200);
  }

  @Test
  void tamperedTokenIsRejected() {
    var parts = user.access().split("\\.");
    var payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"role\":\"user\"", "\"role\":\"admin\"");
    assertThat(payload).contains("\"role\":\"admin\"");
    var tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertRejected(tampered);
  }

  @Test
  void expiredTokenIsRejected() {
    var expired = forge("access", Instant.now().minusSeconds(60), TestServer.JWT_SECRET);
    assertRejected(expired);
    assertThat(server.get("/auth/me", expired).get("detail").asText()).contains("expired");
  }

  @Test
  void tokenSignedWithAnotherSecretIsRejected() {
    assertRejected(
        forge(
            "access",
            Instant.now().plusSeconds(600),
            "another-secret-another-secret-another-secret"));
  }

  @Test
  void algNoneIsRejected() {
    var enc = Base64.getUrlEncoder().withoutPadding();
    var header =
        enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    var payload =
        enc.encodeToString(
            ("{\"sub\":\""
                    + user.userId()
                    + "\",\"name\":\"tokenuser\",\"role\":\"admin\","
                    + "\"typ\":\"access\",\"jti\":\""
                    + UUID.randomUUID()
                    + "\",\"fam\":\""
                    + UUID.randomUUID()
                    + "\","
                    + "\"exp\":"
                    + (Instant.now().getEpochSecond() + 600)
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    assertRejected(header + "." + payload + ".");
  }

  @Test
  void refreshTokenIsNotAnAccessToken() {
    assertRejected(user.refresh());
    assertRejected(forge("refresh", Instant.now().plusSeconds(600), TestServer.JWT_SECRET));
  }

  @Test
  void accessTokenIsNotARefreshToken() {
    var r = server.post("/auth/refresh", Map.of("refresh_token", user.access()), null);
    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void otherSchemesAndJunkAreRejected() {
    for (var header :
        new String[] {
          "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer not.a.jwt", user.access()
        }) {
      var r =
          server.send(
              "GET",
              "/api/v1/auth/me",
              java.net.http.HttpRequest.BodyPublishers.noBody(),
              Map.of("Authorization", header));
      assertThat(r.status()).as(header).isEqualTo(401);
    }
  }

  @Test
  void anonymousCallsToOpenRoutesWork() {
    assertThat(server.get("/badges", null).status()).isEqualTo(200);
    assertThat(server.get("/auth/me", null).status()).isEqualTo(401);
  }
}
