package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.server.config.TrustedProxies;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, fd00::/8");

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    assertThat(TrustedProxies.parse(" ").client("10.1.2.3", List.of("203.0.113.9")))
        .isEqualTo("10.1.2.3");
    assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItClaims() {
    assertThat(proxies.client("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
    assertThat(proxies.client("192.168.1.8", List.of("198.51.100.1"))).isEqualTo("192.168.1.8");
  }

  @Test
  void theFirstUntrustedHopFromTheRightIsTheClient() {
    assertThat(proxies.client("10.0.0.5", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
    assertThat(proxies.client("10.0.0.5", List.of("198.51.100.1, 192.168.1.7, 10.9.9.9")))
        .isEqualTo("198.51.100.1");
    // what the client wrote itself, left of the address our proxy saw, is never believed
    assertThat(proxies.client("10.0.0.5", List.of("1.2.3.4, 198.51.100.1")))
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("fd12::1", List.of("[2001:db8::7]:443"))).isEqualTo("2001:db8::7");
    assertThat(proxies.client("10.0.0.5", List.of("198.51.100.1:5000"))).isEqualTo("198.51.100.1");
  }

  @Test
  void garbageOrOnlyTrustedHopsStopAtTheLastHopWeCanVouchFor() {
    assertThat(proxies.client("10.0.0.5", List.of("not-an-ip"))).isEqualTo("10.0.0.5");
    assertThat(proxies.client("10.0.0.5", List.of("evil.example, 10.0.0.6"))).isEqualTo("10.0.0.6");
    assertThat(proxies.client("10.0.0.5", List.of("10.0.0.7, 10.0.0.6"))).isEqualTo("10.0.0.7");
    assertThat(proxies.client("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
  }

  @Test
  void everyHeaderLineCountsSoAClientsOwnLineCannotHideTheProxysOne() {
    // HAProxy's option forwardfor adds its own line instead of appending to the client's
    assertThat(proxies.client("10.0.0.5", List.of("6.6.6.6", "198.51.100.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void jettysBracketedIpv6PeerIsRecognised() {
    assertThat(proxies.client("[fd12:0:0:0:0:0:0:1]", List.of("198.51.100.1")))
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("[2001:db8::9]", List.of("198.51.100.1"))).isEqualTo("2001:db8::9");
  }

  @Test
  void impossibleIpv4AddressesAreGarbageNotHostnames() {
    assertThat(proxies.client("10.0.0.5", List.of("1.2.3.256"))).isEqualTo("10.0.0.5");
    assertThat(proxies.client("10.0.0.5", List.of("999.999.999.999, 10.0.0.6")))
        .isEqualTo("10.0.0.6");
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.300/8"))
        .hasMessageContaining("10.0.0.300");
  }

  @Test
  void onlyAddressesAndBlocksAreAccepted() {
    for (String bad :
        new String[] {"example.com", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "localhost"}) {
      assertThatThrownBy(() -> TrustedProxies.parse(bad)).as(bad).hasMessageContaining(bad);
    }
  }
}
