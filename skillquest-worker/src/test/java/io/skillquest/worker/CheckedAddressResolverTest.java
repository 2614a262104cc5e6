package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.events.WebhookTargets;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

class CheckedAddressResolverTest {

  @Test
  void aHostResolvingToAnInternalAddressFailsTheConnectionUnlessAllowed() {
    var refused = resolve(new CheckedAddressResolver(false), "localhost", 8443);
    assertThat(refused)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(WebhookTargets.Refused.class)
        .withMessageContaining("loopback");

    var allowed = resolve(new CheckedAddressResolver(true), "localhost", 8443).join();
    assertThat(allowed)
        .isNotEmpty()
        .allSatisfy(
            a -> {
              assertThat(a.getAddress().isLoopbackAddress()).isTrue();
              assertThat(a.getPort()).isEqualTo(8443);
              assertThat(a.isUnresolved()).as("connected to as checked").isFalse();
            });
  }

  @Test
  void aLiteralAddressIsCheckedToo() {
    assertThat(resolve(new CheckedAddressResolver(false), "169.254.169.254", 80))
        .isCompletedExceptionally();
    assertThat(resolve(new CheckedAddressResolver(false), "93.184.215.14", 443).join())
        .containsExactly(new InetSocketAddress("93.184.215.14", 443));
  }

  private static CompletableFuture<List<InetSocketAddress>> resolve(
      CheckedAddressResolver resolver, String host, int port) {
    var result = new CompletableFuture<List<InetSocketAddress>>();
    resolver.resolve(
        host, port, Map.of(), Promise.from(result::complete, result::completeExceptionally));
    return result;
  }
}
