package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, fd00::/8");

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(TrustedProxies.parse(" ").client("10.1.2.3", "203.0.113.9")).isEqualTo("10.1.2.3");
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() {
        assertThat(proxies.client("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
        assertThat(proxies.client("192.168.1.8", "198.51.100.1")).isEqualTo("192.168.1.8");
    }

    @Test
    void theFirstUntrustedHopFromTheRightIsTheClient() {
        assertThat(proxies.client("10.0.0.5", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("10.0.0.5", "198.51.100.1, 192.168.1.7, 10.9.9.9")).isEqualTo("198.51.100.1");
        // what the client wrote itself, left of the address our proxy saw, is never believed
        assertThat(proxies.client("10.0.0.5", "1.2.3.4, 198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("fd12::1", "[2001:db8::7]:443")).isEqualTo("2001:db8::7");
        assertThat(proxies.client("10.0.0.5", "198.51.100.1:5000")).isEqualTo("198.51.100.1");
    }

    @Test
    void garbageOrOnlyTrustedHopsStopAtTheLastHopWeCanVouchFor() {
        assertThat(proxies.client("10.0.0.5", "not-an-ip")).isEqualTo("10.0.0.5");
        assertThat(proxies.client("10.0.0.5", "evil.example, 10.0.0.6")).isEqualTo("10.0.0.6");
        assertThat(proxies.client("10.0.0.5", "10.0.0.7, 10.0.0.6")).isEqualTo("10.0.0.7");
        assertThat(proxies.client("10.0.0.5", null)).isEqualTo("10.0.0.5");
    }

    @Test
    void onlyAddressesAndBlocksAreAccepted() {
        for (String bad : new String[] {"example.com", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "localhost"}) {
            assertThatThrownBy(() -> TrustedProxies.parse(bad)).as(bad).hasMessageContaining(bad);
        }
    }
}
