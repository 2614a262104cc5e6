package io.skillquest.server.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.skillquest.server.config.ManagementSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /metrics on the management port, on the JDK's own HTTP server (a scrape endpoint needs
 * nothing bigger, and it stays apart from the API's Jetty, its filters and its limits).
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves metrics as configured; empty when the port is 0, or when it cannot be bound (logged as
   * an error: the API must not go down because a scrape port is taken, and the failing scrape shows
   * it).
   */
  public static Optional<ManagementServer> start(
      ManagementSettings settings, PrometheusMeterRegistry registry) {
    if (settings.port() == 0) {
      return Optional.empty();
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 16);
    } catch (IOException e) {
      log.error(
          "could not serve metrics on {}:{} ({}); set SKILLQUEST_MANAGEMENT_PORT to a free port",
          settings.bind(),
          settings.port(),
          e.toString());
      return Optional.empty();
    }
    server.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", Metrics.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    var executor =
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "skillquest-management");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    log.info("metrics at http://{}:{}/metrics", settings.bind(), server.getAddress().getPort());
    return Optional.of(new ManagementServer(server, executor));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
