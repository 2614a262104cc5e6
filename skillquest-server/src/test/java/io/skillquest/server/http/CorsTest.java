package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browsers from the configured origins may call the API; others get no CORS headers. */
class CorsTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_CORS_ORIGINS", "https://app.example.com,https://admin.example.com")
          .extension();

  @Test
  void preflightFromAnAllowedOriginIsAnswered() {
    var r =
        server.send(
            "OPTIONS",
            "/api/v1/auth/me",
            HttpRequest.BodyPublishers.noBody(),
            Map.of(
                "Origin", "https://admin.example.com",
                "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization"));
    assertThat(r.status()).as(r.toString()).isIn(200, 204);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.example.com");
  }

  @Test
  void preflightForAPatchWithABodyAndATokenIsAllowed() {
    var r =
        server.send(
            "OPTIONS",
            "/api/v1/challenges/7",
            HttpRequest.BodyPublishers.noBody(),
            Map.of(
                "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "PATCH",
                "Access-Control-Request-Headers", "authorization, content-type"));
    assertThat(r.status()).as(r.toString()).isIn(200, 204);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(r.header("Access-Control-Allow-Methods")).contains("PATCH");
    assertThat(r.header("Access-Control-Allow-Headers").toLowerCase())
        .contains("authorization")
        .contains("content-type");
    assertThat(r.header("Access-Control-Max-Age")).isNotNull();
    assertThat(r.header("Vary")).contains("Origin");
    assertThat(r.header("Content-Type")).as("an empty answer").isNull();
  }

  @Test
  void preflightFromAnotherOriginGetsNoAllowHeaders() {
    var r =
        server.send(
            "OPTIONS",
            "/api/v1/auth/me",
            HttpRequest.BodyPublishers.noBody(),
            Map.of(
                "Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization"));
    assertThat(r.headers().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-allow-"));
  }

  @Test
  void responsesToAnAllowedOriginCarryTheHeader() {
    var r =
        server.send(
            "GET",
            "/api/v1/badges",
            HttpRequest.BodyPublishers.noBody(),
            Map.of("Origin", "https://app.example.com"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
  }

  @Test
  void otherOriginsGetNoCorsHeaders() {
    var r =
        server.send(
            "GET",
            "/api/v1/badges",
            HttpRequest.BodyPublishers.noBody(),
            Map.of("Origin", "https://evil.example.com"));
    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
  }
}
