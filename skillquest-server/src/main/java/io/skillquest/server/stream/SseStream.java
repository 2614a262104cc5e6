package io.skillquest.server.stream;

import io.javalin.http.sse.SseClient;
import io.skillquest.server.http.Principal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One open Server-Sent Event stream. Writes go through a per-stream queue drained on a shared
 * executor: a fan-out never waits on one client's socket, a stream's messages keep their order, and
 * a client that falls {@link #MAX_QUEUED} messages behind is closed (it reconnects and, for events,
 * replays from its {@code Last-Event-ID}) instead of holding memory without bound.
 */
public final class SseStream {
  static final int MAX_QUEUED = 1_000;

  /**
   * A message on the wire: an event (with optional id), or a comment when {@code event} is null.
   */
  private record Out(String event, String data, String id) {}

  private final SseClient client;
  private final Principal principal;
  private final Executor writers;
  private final ArrayDeque<Out> queue = new ArrayDeque<>();
  private boolean draining;
  private volatile boolean closed;

  SseStream(SseClient client, Principal principal, Executor writers) {
    this.client = client;
    this.principal = principal;
    this.writers = writers;
  }

  /** The signed-in owner; null for a public stream. */
  public Principal principal() {
    return principal;
  }

  public boolean closed() {
    return closed || client.terminated();
  }

  /** Queues an event; {@code id} may be null. */
  public void event(String event, String data, String id) {
    enqueue(new Out(event, data, id));
  }

  /** Queues a comment line ({@code : text}). */
  public void comment(String text) {
    enqueue(new Out(null, text, null));
  }

  private void enqueue(Out out) {
    boolean start;
    synchronized (queue) {
      if (closed) {
        return;
      }
      if (queue.size() >= MAX_QUEUED) {
        queue.clear();
        start = false;
        closed = true;
      } else {
        queue.add(out);
        start = !draining;
        draining = true;
      }
    }
    if (closed) {
      writers.execute(client::close);
    } else if (start) {
      writers.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Out out;
      synchronized (queue) {
        out = queue.poll();
        if (out == null || closed) {
          draining = false;
          return;
        }
      }
      try {
        if (out.event() == null) {
          client.sendComment(out.data());
        } else {
          client.sendEvent(out.event(), out.data(), out.id());
        }
      } catch (RuntimeException e) {
        close();
        return;
      }
      if (client.terminated()) {
        close();
        return;
      }
    }
  }

  /**
   * Waits until everything queued so far is written (a replay sends page after page this way).
   *
   * @return false when the stream closed or the time ran out first
   */
  public boolean awaitDrained(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed()) {
      synchronized (queue) {
        if (queue.isEmpty() && !draining) {
          return true;
        }
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Ends the response; the client sees the stream end (EventSource reconnects). Idempotent. */
  public void close() {
    synchronized (queue) {
      closed = true;
      queue.clear();
    }
    client.close();
  }
}
