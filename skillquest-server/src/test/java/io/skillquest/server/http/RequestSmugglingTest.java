package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw bytes on a socket, the way a smuggling front end would send them: a parser that disagrees
 * with a proxy about where a request ends answers a second, hidden request.
 */
class RequestSmugglingTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3}) ");

  @Test
  void anUnterminatedQuotedChunkExtensionIsOneBadRequestAndNothingIsSmuggled() throws Exception {
    var raw =
        "POST /api/v1/auth/login HTTP/1.1\r\n"
            + "Host: localhost\r\n"
            + "Content-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "\r\n"
            + "2;ext=\"unterminated\r\n"
            + "{}\r\n"
            + "0\r\n"
            + "\r\n"
            + "GET /smuggled-path HTTP/1.1\r\n"
            + "Host: localhost\r\n"
            + "\r\n";
    var answer = exchange(raw);
    var statuses = STATUS_LINE.matcher(answer).results().map(m -> m.group(1)).toList();
    assertThat(statuses).as(answer).containsExactly("400");
    assertThat(answer).doesNotContain("smuggled-path");
  }

  @Test
  void aWellFormedChunkedBodyStillWorks() throws Exception {
    var body = "{\"username\":\"nobody\",\"password\":\"wrong password\"}";
    var raw =
        "POST /api/v1/auth/login HTTP/1.1\r\n"
            + "Host: localhost\r\n"
            + "Content-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + Integer.toHexString(body.length())
            + ";name=\"quoted value\"\r\n"
            + body
            + "\r\n0\r\n\r\n";
    var statuses = STATUS_LINE.matcher(exchange(raw)).results().map(m -> m.group(1)).toList();
    assertThat(statuses).containsExactly("401");
  }

  /** Sends the bytes and reads until the server closes or falls silent for two seconds. */
  private static String exchange(String raw) throws IOException {
    try (var socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(2_000);
      socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      var out = new ByteArrayOutputStream();
      var buffer = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // silence: everything the server meant to answer has arrived
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
