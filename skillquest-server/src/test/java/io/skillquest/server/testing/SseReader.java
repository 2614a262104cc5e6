package io.skillquest.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real text/event-stream client over {@link HttpClient}: reads the body line by line on its own
 * thread and parses it the way a browser's EventSource does ({@code id:}, {@code event:}, {@code
 * data:} lines up to a blank line; {@code :} lines are comments).
 */
public final class SseReader implements AutoCloseable {
  /** One dispatched event; {@code event} is "message" when the stream named none. */
  public record Message(String id, String event, String data) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final List<String> raw = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  private SseReader(HttpResponse<Stream<String>> response) {
    this.response = response;
    var t = new Thread(this::read, "sse-reader");
    t.setDaemon(true);
    t.start();
  }

  /** Opens {@code url} with {@code Accept: text/event-stream} and the given headers. */
  public static SseReader open(String url, Map<String, String> headers) {
    var request =
        HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "text/event-stream");
    headers.forEach(request::header);
    try {
      return new SseReader(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private void read() {
    String id = null;
    String event = null;
    var data = new ArrayList<String>();
    try (var lines = response.body()) {
      for (var it = lines.iterator(); it.hasNext(); ) {
        var line = it.next();
        raw.add(line);
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            messages.add(
                new Message(id, event == null ? "message" : event, String.join("\n", data)));
          }
          id = null;
          event = null;
          data.clear();
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else {
          int colon = line.indexOf(':');
          var field = colon < 0 ? line : line.substring(0, colon);
          var value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data.add(value);
            default -> {}
          }
        }
      }
    } catch (RuntimeException e) {
      // the connection ended (closed by us or by the server)
    } finally {
      ended.countDown();
    }
  }

  /** The next event, waiting up to {@code timeout}; null when none came. */
  public Message next(Duration timeout) {
    try {
      return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Events received and not yet taken with {@link #next}, without waiting. */
  public List<Message> drain() {
    var out = new ArrayList<Message>();
    messages.drainTo(out);
    return out;
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  /**
   * Every line read so far (for failure messages), or the whole body of a refused request (not
   * 200).
   */
  public String text() {
    if (status() != 200) {
      awaitEnd(Duration.ofSeconds(5));
    }
    return String.join("\n", raw);
  }

  /** True when the server ended the stream within {@code timeout}. */
  public boolean awaitEnd(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    response.body().close();
  }
}
