package io.skillquest.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged server in embedded mode (its own PostgreSQL, Redis and worker), walked with the Java
 * client generated from the document at build time: once directly, once through Prism's validating
 * proxy, which flags every request and response that disagrees with the document.
 */
class ContractIT {
  static final String ADMIN_PASSWORD = "contract-admin-password-123";
  private static final Path LOGS = Path.of("target", "contract-logs");

  private static ChildProcess server;
  private static ChildProcess prism;
  private static String direct;
  private static String proxied;

  @BeforeAll
  static void start() throws Exception {
    int port = ChildProcess.freePort();
    direct = "http://127.0.0.1:" + port;
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var jar = Path.of(System.getProperty("skillquest.server.jar"));
    assertThat(jar).as("run `mvn verify` so the server jar is packaged first").isRegularFile();
    var dataDir = Path.of("target", "contract-data", UUID.randomUUID().toString());
    server =
        ChildProcess.start(
            List.of(java, "-Xmx384m", "-jar", jar.toString()),
            Map.of(
                "SKILLQUEST_PORT", Integer.toString(port),
                "SKILLQUEST_DATA_DIR", dataDir.toString(),
                "SKILLQUEST_EMBEDDED_PG_PORT", "0",
                "SKILLQUEST_EMBEDDED_REDIS_PORT", "0",
                "SKILLQUEST_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SKILLQUEST_JWT_SECRET", "contract-secret-long-enough-for-hs256-0123456789",
                "SKILLQUEST_BCRYPT_COST", "4"),
            LOGS.resolve("server.log"));
    server.await("the server", Duration.ofSeconds(120), p -> status(direct + "/health") == 200);

    int proxyPort = ChildProcess.freePort();
    proxied = "http://127.0.0.1:" + proxyPort;
    prism =
        ChildProcess.start(
            List.of(
                "node",
                System.getProperty("skillquest.prism"),
                "proxy",
                document().toString(),
                direct,
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(proxyPort),
                "--errors"),
            Map.of("NO_COLOR", "1", "FORCE_COLOR", "0"),
            LOGS.resolve("prism.log"));
    prism.await("prism", Duration.ofSeconds(60), p -> p.output().contains("Prism is listening on"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (prism != null) {
      prism.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static Path document() {
    return Path.of(System.getProperty("skillquest.openapi"));
  }

  private static int status(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void theServedDocumentIsTheOneTheClientWasGeneratedFrom() throws Exception {
    var served =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(direct + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(served).isEqualTo(Files.readString(document()));
  }

  @Test
  void theJourneyWorksWithTheGeneratedClient() throws Exception {
    var journey = new Journey(direct, "direct", false);
    journey.walk();
    assertThat(journey.responses()).isGreaterThan(20);
  }

  @Test
  void theJourneyAgreesWithTheDocumentThroughAValidatingProxy() throws Exception {
    var journey = new Journey(proxied, "proxied", true);
    journey.walk();
    assertThat(journey.responses()).isGreaterThan(20);
    assertThat(journey.violations()).as("Prism's sl-violations headers").isEmpty();
    var log = prism.output();
    assertThat(log).as("Prism saw the journey").contains("Forwarding \"patch\" request");
    assertThat(log.lines().filter(l -> l.contains("Violation") || l.contains("✖")))
        .as("Prism's log (" + LOGS.resolve("prism.log") + ")")
        .isEmpty();
  }
}
