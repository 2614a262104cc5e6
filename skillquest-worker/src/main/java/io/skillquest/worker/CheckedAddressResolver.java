package io.skillquest.worker;

import io.skillquest.store.events.WebhookTargets;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves a webhook's host for the HTTP client through the SSRF guard, so the client connects only
 * to the addresses the guard has just checked. Checking the name and letting the client resolve it
 * again would leave a gap: a DNS answer that changes in between (DNS rebinding) would reach an
 * internal address.
 */
final class CheckedAddressResolver implements SocketAddressResolver {

  private final boolean allowPrivate;

  CheckedAddressResolver(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  @Override
  public void resolve(
      String host,
      int port,
      Map<String, Object> context,
      Promise<List<InetSocketAddress>> promise) {
    List<InetSocketAddress> checked;
    try {
      checked =
          WebhookTargets.addresses(host, allowPrivate).stream()
              .map(a -> new InetSocketAddress(a, port))
              .toList();
    } catch (WebhookTargets.Refused e) {
      promise.failed(e);
      return;
    }
    promise.succeeded(checked);
  }
}
