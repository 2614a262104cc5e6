package io.skillquest.worker;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * GET /metrics in the Prometheus text format, on the JDK's own HTTP server: the worker needs
 * nothing bigger.
 */
final class MetricsEndpoint implements AutoCloseable {

  private final HttpServer server;

  MetricsEndpoint(PrometheusMeterRegistry registry, String bind, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    server.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "skillquest-metrics");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
