package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Query strings that do not percent-decode. Java's own HTTP client refuses to send them, so they go
 * out as raw bytes, the way a hand-written client or a scanner sends them.
 */
class MalformedQueryTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @Test
  void aParameterThatDoesNotDecodeIsABadRequestNotTheDefault() throws IOException {
    for (var query : List.of("limit=%zz", "limit=2&period=%2", "period=week%", "limit=%E0%A4%A")) {
      var answer = get("/api/v1/leaderboard?" + query);
      assertThat(answer).as(query).startsWith("HTTP/1.1 400 ");
      assertThat(answer)
          .as(query)
          .contains("application/problem+json")
          .contains("not valid percent-encoding");
    }
    assertThat(get("/api/v1/challenges?tag=%G0")).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void wellFormedEncodingIsDecodedAsBefore() throws IOException {
    assertThat(get("/api/v1/leaderboard?limit=%32&note=%41")).startsWith("HTTP/1.1 200 ");
    assertThat(get("/api/v1/leaderboard?limit=%33%30%30")).startsWith("HTTP/1.1 400 ");
  }

  private static String get(String target) throws IOException {
    try (var socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      var request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
