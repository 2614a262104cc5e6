package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Oversized bodies get 413 whether they declare their length or stream it chunked; unknown routes a
 * problem.
 */
class RequestLimitsTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  private static String bigJson(int bytes) {
    return "{\"username\":\"" + "a".repeat(bytes) + "\"}";
  }

  @Test
  void declaredOversizedBodyIs413() {
    var r = server.call("POST", "/api/v1/auth/register", bigJson(1 << 20), null);
    assertThat(r.status()).as(r.toString()).isEqualTo(413);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void chunkedOversizedBodyIs413() {
    var r =
        server.send(
            "POST",
            "/api/v1/auth/register",
            chunked(bigJson(2 << 20)),
            Map.of("Content-Type", "application/json"));
    assertThat(r.status()).as(r.toString()).isEqualTo(413);
  }

  @Test
  void chunkedSmallBodyIsRead() {
    var body =
        "{\"username\":\"chunky\",\"email\":\"chunky@example.com\",\"password\":\"correct horse\"}";
    var r =
        server.send(
            "POST",
            "/api/v1/auth/register",
            chunked(body),
            Map.of("Content-Type", "application/json"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  @Test
  void bodyJustUnderTheLimitIsNotRefusedForItsSize() {
    var r = server.call("POST", "/api/v1/auth/register", bigJson((1 << 20) - 100), null);
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void unknownRouteIsAProblem() {
    var r = server.get("/no/such/route", null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }

  /** A body publisher of unknown length: java.net.http then sends Transfer-Encoding: chunked. */
  private static HttpRequest.BodyPublisher chunked(String body) {
    var known = HttpRequest.BodyPublishers.ofString(body);
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        known.subscribe(subscriber);
      }
    };
  }
}
