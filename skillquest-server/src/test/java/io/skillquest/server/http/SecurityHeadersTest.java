package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every response carries the security headers; tokens and authenticated data are never cached. */
class SecurityHeadersTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  private static void assertCommon(TestServer.Response r) {
    assertThat(r.header("X-Content-Type-Options")).as(r.toString()).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
  }

  @Test
  void apiResponsesSuccessfulOrNotCarryTheHeaders() {
    var ok = server.get("/badges", null);
    assertThat(ok.status()).isEqualTo(200);
    assertCommon(ok);
    assertThat(ok.header("Content-Security-Policy")).startsWith("default-src 'none'");
    assertThat(ok.header("Strict-Transport-Security")).as("not in development").isNull();
    assertCommon(server.get("/challenges/999999", null)); // 404 from a handler
    assertCommon(server.call("GET", "/no/such/route", null, null)); // 404 without a route
    assertCommon(server.post("/auth/login", "{not json", null)); // 400
  }

  @Test
  void tokenResponsesAreNotStored() {
    server.registerAndLogin("cachecheck");
    var login =
        server.post(
            "/auth/login",
            Map.of("username", "cachecheck", "password", TestServer.passwordOf("cachecheck")),
            null);
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.header("Cache-Control")).isEqualTo("no-store");
    var refresh =
        server.post(
            "/auth/refresh", Map.of("refresh_token", login.get("refresh_token").asText()), null);
    assertThat(refresh.status()).isEqualTo(200);
    assertThat(refresh.header("Cache-Control")).isEqualTo("no-store");
    var me = server.get("/attempts", login.get("access_token").asText());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void theDocsPageMayRunItsOwnScriptsButNotBeFramed() {
    var docs = server.call("GET", "/docs", null, null);
    assertThat(docs.status()).isEqualTo(200);
    assertCommon(docs);
    assertThat(docs.header("Content-Security-Policy")).contains("script-src 'self'");
  }

  @Test
  void productionAddsStrictTransportSecurity() {
    try (var production = TestServer.builder().withoutWorker().production().start()) {
      var r = production.get("/badges", null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Strict-Transport-Security"))
          .isEqualTo("max-age=31536000; includeSubDomains");
      assertCommon(r);
    }
  }
}
