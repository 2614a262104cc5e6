package io.skillquest.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection over a plain blocking socket.
 *
 * <p>Why not java.net.http: the load generator shares two cores with the server, PostgreSQL and
 * Redis, and the JDK client costs several times more CPU per request than this. A connection is
 * used by one thread at a time; the load loop gives each of its threads its own.
 */
final class MiniHttp implements AutoCloseable {

  /** A response: status and body (bodies here are small JSON). */
  record Response(int status, String body) {}

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  MiniHttp(URI base, int timeoutMillis) {
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? 80 : base.getPort();
    this.timeoutMillis = timeoutMillis;
  }

  Response send(String method, String pathAndQuery, String bearer, String jsonBody)
      throws IOException {
    byte[] body = jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8);
    var head =
        new StringBuilder(256)
            .append(method)
            .append(' ')
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(host)
            .append(':')
            .append(port)
            .append("\r\n")
            .append("Accept: application/json\r\n");
    if (bearer != null) {
      head.append("Authorization: Bearer ").append(bearer).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    } else if (!method.equals("GET")) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("\r\n");
    boolean reused = socket != null;
    try {
      return exchange(head, body);
    } catch (IOException e) {
      close();
      if (!reused) {
        throw e;
      }
      // the server may close an idle keep-alive connection; one retry on a fresh one
      return exchange(head, body);
    }
  }

  private Response exchange(StringBuilder head, byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMillis);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (body == null) {
      out.write(h);
    } else {
      var all = new byte[h.length + body.length];
      System.arraycopy(h, 0, all, 0, h.length);
      System.arraycopy(body, 0, all, h.length, body.length);
      out.write(all);
    }
    out.flush();
    return read();
  }

  private Response read() throws IOException {
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    String l;
    while ((l = line()) != null && !l.isEmpty()) {
      int colon = l.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = l.substring(0, colon).trim();
      String value = l.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")
          && value.toLowerCase().contains("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    var body = new ByteArrayOutputStream();
    if (chunked) {
      while (true) {
        String size = line();
        if (size == null) {
          throw new IOException("eof in chunked body");
        }
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while ((l = line()) != null && !l.isEmpty()) {
            // trailers
          }
          break;
        }
        copy(n, body);
        line();
      }
    } else if (length >= 0) {
      copy(length, body);
    } else if (code != 204 && code != 304) {
      body.write(in.readAllBytes());
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, body.toString(StandardCharsets.UTF_8));
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    var buf = new byte[(int) Math.min(n, 8192)];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(n, buf.length));
      if (r < 0) {
        throw new IOException("eof in body");
      }
      to.write(buf, 0, r);
      n -= r;
    }
  }

  private String line() throws IOException {
    var sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
    out = null;
    in = null;
  }
}
