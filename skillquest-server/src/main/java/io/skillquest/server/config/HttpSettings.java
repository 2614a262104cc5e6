package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.util.Arrays;
import java.util.List;

/**
 * Where and to whom the API answers.
 *
 * @param port SKILLQUEST_PORT (8080; 0 picks a free one)
 * @param corsOrigins SKILLQUEST_CORS_ORIGINS: browser origins allowed to call the API, or "*"
 * @param trustedProxies SKILLQUEST_TRUSTED_PROXIES: whose X-Forwarded-For names the client
 * @param streams the Server-Sent Event streams' keep-alive and caps
 */
public record HttpSettings(
    int port, List<String> corsOrigins, TrustedProxies trustedProxies, StreamSettings streams) {
  public static final int DEFAULT_PORT = 8080;

  public HttpSettings {
    corsOrigins = List.copyOf(corsOrigins);
  }

  public HttpSettings(int port, List<String> corsOrigins, TrustedProxies trustedProxies) {
    this(port, corsOrigins, trustedProxies, StreamSettings.DEFAULT);
  }

  static HttpSettings read(Env env) {
    int port = env.integer("SKILLQUEST_PORT", DEFAULT_PORT, 0, 65535);
    var cors = env.value("SKILLQUEST_CORS_ORIGINS").map(HttpSettings::origins).orElse(List.of());
    for (var origin : cors) {
      if (!origin.equals("*") && !origin.matches("^https?://[^/\\s]+$")) {
        env.error(
            "SKILLQUEST_CORS_ORIGINS: '"
                + origin
                + "' is not an origin like https://app.example.com or *");
      }
    }
    var proxies = TrustedProxies.NONE;
    try {
      proxies = TrustedProxies.parse(env.string("SKILLQUEST_TRUSTED_PROXIES", ""));
    } catch (IllegalArgumentException e) {
      env.error("SKILLQUEST_TRUSTED_PROXIES: " + e.getMessage());
    }
    return new HttpSettings(port, cors, proxies, StreamSettings.read(env));
  }

  private static List<String> origins(String raw) {
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
