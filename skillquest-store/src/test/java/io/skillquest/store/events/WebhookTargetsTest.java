package io.skillquest.store.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.0.1",
        "0.0.0.0",
        "0.1.2.3",
        "100.64.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1"
      })
  void internalAddressesAreForbidden(String literal) throws Exception {
    assertThat(WebhookTargets.forbidden(InetAddress.getByName(literal))).isTrue();
    assertThatThrownBy(() -> WebhookTargets.check("http://" + host(literal) + "/hook", false))
        .isInstanceOf(WebhookTargets.Refused.class)
        .hasMessageContaining("resolves to");
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1"})
  void publicAddressesAreAllowed(String literal) throws Exception {
    assertThat(WebhookTargets.forbidden(InetAddress.getByName(literal))).isFalse();
    assertThat(WebhookTargets.check("https://" + host(literal) + "/hook", false))
        .isEqualTo(InetAddress.getByName(literal));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/x",
        "file:///etc/passwd",
        "gopher://example.com",
        "example.com/hook",
        "http:///nohost",
        "http://user:pw@example.com/",
        "http://example.com/#frag",
        "not a url",
        ""
      })
  void onlyPlainHttpAndHttpsUrlsAreAccepted(String url) {
    assertThatThrownBy(() -> WebhookTargets.parse(url)).isInstanceOf(WebhookTargets.Refused.class);
  }

  @org.junit.jupiter.api.Test
  void loopbackNamesAreResolvedBeforeJudging() throws Exception {
    assertThatThrownBy(() -> WebhookTargets.check("http://localhost:8080/hook", false))
        .isInstanceOf(WebhookTargets.Refused.class);
    assertThat(WebhookTargets.check("http://localhost:8080/hook", true).isLoopbackAddress())
        .isTrue();
  }

  private static String host(String literal) {
    return literal.contains(":") ? "[" + literal + "]" : literal;
  }
}
