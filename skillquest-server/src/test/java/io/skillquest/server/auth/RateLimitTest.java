package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits live in Redis: failed logins per account, and every /auth call per client IP. */
class RateLimitTest {
  static TestServer logins;
  static TestServer perIp;
  static TestServer proxied;

  @BeforeAll
  static void start() {
    logins =
        TestServer.builder().withoutWorker().env("SKILLQUEST_LOGIN_FAILURE_LIMIT", "3/1m").start();
    perIp = TestServer.builder().withoutWorker().env("SKILLQUEST_AUTH_IP_LIMIT", "5/1m").start();
    proxied =
        TestServer.builder()
            .withoutWorker()
            .env("SKILLQUEST_AUTH_IP_LIMIT", "2/1m")
            .env("SKILLQUEST_TRUSTED_PROXIES", "127.0.0.1, ::1")
            .start();
  }

  @AfterAll
  static void stop() {
    logins.close();
    perIp.close();
    proxied.close();
  }

  @Test
  void failedLoginsPerAccountAreLimited() {
    var victim = logins.registerAndLogin("victim");
    for (int i = 0; i < 3; i++) {
      assertThat(
              logins
                  .post("/auth/login", Map.of("username", "victim", "password", "guess-" + i), null)
                  .status())
          .isEqualTo(401);
    }
    var limited =
        logins.post("/auth/login", Map.of("username", "VICTIM", "password", "guess-4"), null);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    // even the right password waits: the attacker must not learn it is right
    assertThat(
            logins
                .post(
                    "/auth/login",
                    Map.of("username", "victim", "password", TestServer.passwordOf("victim")),
                    null)
                .status())
        .isEqualTo(429);
    // other usernames are unaffected
    logins.registerAndLogin("bystander");
    assertThat(
            logins
                .redis()
                .get(logins.keys().rateLimit("login-failures-account", "user:" + victim.userId())))
        .isEqualTo("3");
  }

  @Test
  void parallelGuessesGetNoMoreVerificationsThanTheLimit() throws Exception {
    var target = logins.registerAndLogin("target");
    var pool = Executors.newFixedThreadPool(8);
    try {
      var guesses = new ArrayList<Future<Integer>>();
      for (int i = 0; i < 8; i++) {
        int guess = i;
        guesses.add(
            pool.submit(
                () ->
                    logins
                        .post(
                            "/auth/login",
                            Map.of("username", "target", "password", "parallel-" + guess),
                            null)
                        .status()));
      }
      var statuses = new ArrayList<Integer>();
      for (var g : guesses) {
        statuses.add(g.get());
      }
      assertThat(statuses).filteredOn(s -> s == 401).hasSize(3);
      assertThat(statuses).filteredOn(s -> s == 429).hasSize(5);
    } finally {
      pool.shutdown();
    }
    assertThat(
            logins
                .redis()
                .get(logins.keys().rateLimit("login-failures-account", "user:" + target.userId())))
        .isEqualTo("3");
  }

  @Test
  void successfulLoginsDoNotUseUpTheFailureLimit() {
    var regular = logins.registerAndLogin("regular");
    for (int i = 0; i < 5; i++) {
      assertThat(
              logins
                  .post(
                      "/auth/login",
                      Map.of("username", "regular", "password", TestServer.passwordOf("regular")),
                      null)
                  .status())
          .isEqualTo(200);
    }
    assertThat(
            logins
                .post("/auth/login", Map.of("username", "regular", "password", "wrong-one"), null)
                .status())
        .isEqualTo(401);
    assertThat(
            logins
                .redis()
                .get(logins.keys().rateLimit("login-failures-account", "user:" + regular.userId())))
        .isEqualTo("1");
  }

  @Test
  void authCallsPerIpAreLimited() {
    int ok = 0;
    TestServer.Response last = null;
    for (int i = 0; i < 6; i++) {
      last =
          perIp.post("/auth/login", Map.of("username", "someone", "password", "whatever1"), null);
      if (last.status() != 429) {
        ok++;
      }
    }
    assertThat(ok).isEqualTo(5);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.header("Retry-After")).isNotNull();
    // the limit covers /auth only
    assertThat(perIp.get("/badges", null).status()).isEqualTo(200);
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnLimitAndCannotForgeAnother() {
    assertThat(loginFrom(proxied, "198.51.100.1")).isEqualTo(401);
    assertThat(loginFrom(proxied, "198.51.100.1")).isEqualTo(401);
    assertThat(loginFrom(proxied, "198.51.100.1")).isEqualTo(429);
    assertThat(loginFrom(proxied, "198.51.100.2"))
        .as("another client behind the proxy")
        .isEqualTo(401);
    // the client prepends a made-up address; the proxy appends the one it really saw
    assertThat(loginFrom(proxied, "203.0.113.77, 198.51.100.1")).isEqualTo(429);
  }

  private static int loginFrom(TestServer server, String forwardedFor) {
    return server
        .send(
            "POST",
            TestServer.API + "/auth/login",
            java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"nobody\",\"password\":\"whatever1\"}"),
            Map.of("Content-Type", "application/json", "X-Forwarded-For", forwardedFor))
        .status();
  }
}
