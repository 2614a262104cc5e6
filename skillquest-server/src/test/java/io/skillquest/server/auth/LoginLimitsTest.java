package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failed logins are limited per (account, client IP) with a ceiling per account; names that cannot
 * be registered get no budget of their own; password checks are bounded per client IP. Two client
 * IPs in one test: the server trusts 127.0.0.1 as a proxy and reads X-Forwarded-For.
 */
class LoginLimitsTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_LOGIN_FAILURE_LIMIT", "3/1m")
          .env("SKILLQUEST_TRUSTED_PROXIES", "127.0.0.1, ::1")
          .extension();

  @RegisterExtension
  static final TestServer bounded =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_LOGIN_IP_LIMIT", "4/1m")
          .env("SKILLQUEST_TRUSTED_PROXIES", "127.0.0.1, ::1")
          .extension();

  @Test
  void unicodeLookAlikesOfANameAreRefusedWithoutABudgetOfTheirOwn() {
    server.registerAndLogin("kit");
    server.registerAndLogin("iris");
    // the Kelvin sign and the dotted capital I: Java and PostgreSQL fold them onto 'k' and 'i'
    for (var variant : new String[] {"\u212Ait", "\u0130ris", "\u212AIT"}) {
      var real = variant.startsWith("\u0130") ? "iris" : "kit";
      var r = login(server, variant, TestServer.passwordOf(real), "198.51.100.10");
      assertThat(r.status()).as(variant).isEqualTo(401);
      assertThat(r.get("detail").asText()).isEqualTo("invalid username or password");
    }
    // no counter names the look-alikes (or the names at all), and no password was checked for them
    assertThat(server.redis().keys(server.keys().rateLimit("login-*", "*")))
        .noneMatch(k -> k.contains("198.51.100.10"))
        .noneMatch(k -> k.contains("kit") || k.contains("iris"))
        .noneMatch(k -> k.contains("\u212A") || k.contains("\u0307") || k.contains("\u0130"));
  }

  @Test
  void anAttackerElsewhereCannotLockTheOwnerOut() {
    var owner = server.registerAndLogin("owner");
    for (int i = 0; i < 3; i++) {
      assertThat(login(server, "owner", "guess-" + i, "203.0.113.5").status()).isEqualTo(401);
    }
    var limited = login(server, "OWNER", TestServer.passwordOf("owner"), "203.0.113.5");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    // the owner, from their own address, still gets in
    assertThat(login(server, "owner", TestServer.passwordOf("owner"), "198.51.100.7").status())
        .isEqualTo(200);
    // the limit is keyed on the account, however the name is spelt
    assertThat(
            server
                .redis()
                .get(
                    server
                        .keys()
                        .rateLimit("login-failures", "user:" + owner.userId() + "@203.0.113.5")))
        .isEqualTo("3");
  }

  @Test
  void theAccountCeilingHoldsAcrossAddresses() {
    server.registerAndLogin("target");
    // 3 failures per address, 10x that per account: ten addresses use up the ceiling
    for (int ip = 1; ip <= 10; ip++) {
      for (int i = 0; i < 3; i++) {
        assertThat(login(server, "target", "guess-" + i, "192.0.2." + ip).status())
            .as("address %d guess %d", ip, i)
            .isEqualTo(401);
      }
    }
    var fresh = login(server, "target", "guess-x", "192.0.2.200");
    assertThat(fresh.status()).isEqualTo(429);
    assertThat(fresh.header("Retry-After")).isNotNull();
    assertThat(login(server, "target", TestServer.passwordOf("target"), "192.0.2.201").status())
        .as("even the right password waits while the account is under attack")
        .isEqualTo(429);
  }

  @Test
  void unknownNamesAreLimitedTooAndCaseDoesNotMatter() {
    for (int i = 0; i < 3; i++) {
      assertThat(login(server, "Nobody-Here", "guess-" + i, "203.0.113.9").status()).isEqualTo(401);
    }
    assertThat(login(server, "nobody-here", "guess-4", "203.0.113.9").status()).isEqualTo(429);
  }

  @Test
  void passwordChecksPerAddressAreBounded() {
    bounded.registerAndLogin("busy"); // from 127.0.0.1 itself
    for (int i = 0; i < 4; i++) {
      var name = i % 2 == 0 ? "busy" : "ghost-" + i;
      var password = i % 2 == 0 ? TestServer.passwordOf("busy") : "whatever-" + i;
      assertThat(login(bounded, name, password, "198.51.100.50").status())
          .isIn(200, 401)
          .isNotEqualTo(429);
    }
    var refused = login(bounded, "busy", TestServer.passwordOf("busy"), "198.51.100.50");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(login(bounded, "busy", TestServer.passwordOf("busy"), "198.51.100.51").status())
        .as("another address")
        .isEqualTo(200);
  }

  private static TestServer.Response login(
      TestServer target, String username, String password, String clientIp) {
    return target.send(
        "POST",
        TestServer.API + "/auth/login",
        HttpRequest.BodyPublishers.ofString(
            TestServer.toJson(Map.of("username", username, "password", password))),
        Map.of("Content-Type", "application/json", "X-Forwarded-For", clientIp));
  }
}
