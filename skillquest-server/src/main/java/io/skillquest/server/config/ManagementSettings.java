package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where operational endpoints (Prometheus {@code /metrics}) are served: on a separate port bound to
 * the loopback interface by default, because metrics show internals (request patterns, pool use,
 * when rate limits fail open) that the public API port must not.
 *
 * @param port SKILLQUEST_MANAGEMENT_PORT (9090; 0 serves no management port)
 * @param bind SKILLQUEST_MANAGEMENT_BIND, the address it listens on (127.0.0.1; 0.0.0.0 for every
 *     interface, e.g. when Prometheus scrapes from another host over a private network)
 * @param metricsOnMainPort SKILLQUEST_METRICS_ON_MAIN_PORT: also serve /metrics on the API port
 *     (false; only for setups where the API port itself is private)
 */
public record ManagementSettings(int port, String bind, boolean metricsOnMainPort) {
  public static final int DEFAULT_PORT = 9090;
  public static final String DEFAULT_BIND = "127.0.0.1";

  static ManagementSettings read(Env env) {
    var bind = env.string("SKILLQUEST_MANAGEMENT_BIND", DEFAULT_BIND);
    try {
      InetAddress.getByName(bind);
    } catch (UnknownHostException | SecurityException e) {
      env.error("SKILLQUEST_MANAGEMENT_BIND '" + bind + "' is not an address of this host");
    }
    return new ManagementSettings(
        env.integer("SKILLQUEST_MANAGEMENT_PORT", DEFAULT_PORT, 0, 65535),
        bind,
        env.bool("SKILLQUEST_METRICS_ON_MAIN_PORT", false));
  }
}
