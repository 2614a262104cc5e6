package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.server.testing.TestServer;
import io.skillquest.server.web.WebApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Metrics, the OpenAPI document (checked against the real route table) and Swagger UI. */
class ObservabilityTest {
  /** Serving the docs themselves is not part of the API they describe. */
  private static final Set<String> UNDOCUMENTED =
      Set.of("GET /docs", "GET /docs/assets/{file}", "GET " + WebApp.INDEX, "GET " + WebApp.FILES);

  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_MANAGEMENT_PORT", Integer.toString(freePort()))
          .extension();

  @RegisterExtension
  static final TestServer metricsOnMainPort =
      TestServer.builder()
          .withoutWorker()
          .env("SKILLQUEST_METRICS_ON_MAIN_PORT", "true")
          .extension();

  private static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET /metrics from the management port, on 127.0.0.1. */
  private static TestServer.Response scrape() {
    return scrape("127.0.0.1");
  }

  private static TestServer.Response scrape(String host) {
    var port = server.server().managementPort().orElseThrow();
    try {
      var response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return new TestServer.Response(
          response.statusCode(),
          response.headers().map(),
          response.body(),
          com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void metricsAreServedOnTheManagementPortOnlyAndOnlyOnLoopback() throws Exception {
    assertThat(scrape().status()).isEqualTo(200);
    assertThat(server.call("GET", "/metrics", null, null).status())
        .as("not on the API port")
        .isEqualTo(404);
    var external =
        NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
            .findFirst();
    if (external.isPresent()) {
      assertThatThrownBy(() -> scrape(external.get().getHostAddress()))
          .as("the management port listens on 127.0.0.1 only")
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void metricsStayOnTheMainPortWhenAskedTo() {
    var r = metricsOnMainPort.call("GET", "/metrics", null, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("jvm_memory_used_bytes");
    assertThat(metricsOnMainPort.server().managementPort()).isEmpty();
  }

  @BeforeAll
  static void start() {}

  @Test
  void metricsExposeRequestsPoolJvmAndQueue() {
    server.get("/badges", null);
    server.get("/challenges/12345", null);
    var r = scrape();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.text())
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/badges\",status=\"200\"}")
        .contains("route=\"/api/v1/challenges/{id}\"")
        .doesNotContain("route=\"/api/v1/challenges/12345\"")
        .contains("http_server_requests_seconds_bucket")
        .contains("hikaricp_connections")
        .contains("jvm_memory_used_bytes")
        .contains("skillquest_queue_length");
  }

  @Test
  void theQueueLengthIsOneNumberThatSurvivesGarbageCollection() throws Exception {
    server.redis().lpush(server.keys().queue(), "a", "b", "c");
    try {
      for (int i = 0; i < 3; i++) {
        System.gc(); // Micrometer holds gauge objects weakly: a collected one reads NaN
        Thread.sleep(50);
      }
      Thread.sleep(1_100); // past the gauge's one-second cache
      var lines =
          scrape().text().lines().filter(l -> l.startsWith("skillquest_queue_length")).toList();
      assertThat(lines).containsExactly("skillquest_queue_length 3.0");
    } finally {
      server.redis().del(server.keys().queue());
    }
  }

  @Test
  void everyRequestIsCountedInItsSeries() {
    for (int i = 0; i < 3; i++) {
      assertThat(server.get("/leaderboard?limit=0", null).status()).isEqualTo(400);
    }
    assertThat(scrape().text())
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/leaderboard\",status=\"400\"} 3");
  }

  @Test
  void openApiDescribesExactlyTheRegisteredRoutes() {
    var doc = server.call("GET", "/openapi.json", null, null);
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    var documented = new HashSet<String>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (!method.equals("parameters")) {
                            documented.add(method.toUpperCase() + " " + path.getKey());
                          }
                        }));
    var registered = new HashSet<String>();
    for (var route : server.server().routes()) {
      registered.add(route.method() + " " + route.path());
    }
    registered.removeAll(UNDOCUMENTED);
    assertThat(documented)
        .as("documented (method, path) vs the routes Javalin registered")
        .containsExactlyInAnyOrderElementsOf(registered);
    assertThat(doc.get("components").get("schemas").has("Problem")).isTrue();
  }

  @Test
  void swaggerUiIsServed() {
    var page = server.call("GET", "/docs", null, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("swagger-ui-bundle.js").contains("/openapi.json");
    var bundle = server.call("GET", "/docs/assets/swagger-ui-bundle.js", null, null);
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.header("Content-Type")).startsWith("text/javascript");
    assertThat(server.call("GET", "/docs/assets/..%2Fpom.properties", null, null).status())
        .isEqualTo(404);
  }
}
