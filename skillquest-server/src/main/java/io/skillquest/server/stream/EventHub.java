package io.skillquest.server.stream;

import io.skillquest.store.events.Event;
import io.skillquest.store.events.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Fans committed outbox events out to this server's event streams. A wake-up (a notification from
 * the award transaction, or the periodic fallback) makes one read of the outbox after the last id
 * this hub saw, for all users at once, and each event goes to its owner's streams and to admins':
 * the database work per event is the same with one stream or a thousand.
 *
 * <p>Ids become visible in id order (the outbox guarantees it), so "after the last id" is a
 * complete cursor: a subscriber registers, then replays from its {@code Last-Event-ID} while live
 * events for it are held back, then sends the held ones it did not replay; it never misses or
 * repeats an id.
 */
public final class EventHub {
  static final int PAGE = 500;
  private static final Duration REPLAY_DRAIN = Duration.ofSeconds(30);

  /** An event rendered once for every stream that gets it. */
  record Rendered(long id, String type, long userId, String json) {}

  /** One stream's place in the fan-out. */
  static final class Subscriber {
    final SseStream stream;
    final Long userId;
    private long sent;
    private boolean live;
    private final List<Rendered> held = new ArrayList<>();

    Subscriber(SseStream stream, Long userId) {
      this.stream = stream;
      this.userId = userId;
    }

    synchronized void offer(Rendered e) {
      if (!live) {
        held.add(e);
      } else if (e.id() > sent) {
        send(e);
      }
    }

    private void send(Rendered e) {
      stream.event(e.type(), e.json(), Long.toString(e.id()));
      sent = e.id();
    }
  }

  private final EventStore store;
  private final Map<Long, Set<Subscriber>> byUser = new HashMap<>();
  private final Set<Subscriber> everyone = new LinkedHashSet<>();
  private final Map<SseStream, Subscriber> byStream = new HashMap<>();
  private long cursor;

  public EventHub(EventStore store) {
    this.store = store;
    this.cursor = store.latestId();
  }

  /**
   * Reads what was committed after the last id seen and hands it to the streams. Called by the
   * listener thread, one call at a time.
   *
   * @param notifiedMax the largest id a notification announced, or empty on a fallback wake-up
   */
  public void wake(OptionalLong notifiedMax) {
    synchronized (this) {
      if (notifiedMax.isPresent() && notifiedMax.getAsLong() <= cursor) {
        return;
      }
      if (byUser.isEmpty() && everyone.isEmpty()) {
        // nobody listens: move the cursor without reading rows
        cursor = Math.max(cursor, notifiedMax.orElseGet(store::latestId));
        return;
      }
    }
    while (true) {
      long from;
      synchronized (this) {
        from = cursor;
      }
      var page = store.after(from, null, PAGE);
      synchronized (this) {
        for (var e : page) {
          if (e.id() <= cursor) {
            continue;
          }
          var r = render(e);
          for (var s : everyone) {
            s.offer(r);
          }
          var own = byUser.get(e.userId());
          if (own != null) {
            for (var s : own) {
              s.offer(r);
            }
          }
          cursor = e.id();
        }
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  /**
   * Starts sending {@code stream} events: the owner's, or everyone's when {@code userId} is null.
   * With a {@code lastEventId}, what was committed after it is sent first; without, only events
   * committed from now on. Runs the replay on the calling thread.
   */
  public void subscribe(SseStream stream, Long userId, OptionalLong lastEventId) {
    var sub = new Subscriber(stream, userId);
    long start;
    synchronized (this) {
      byStream.put(stream, sub);
      if (userId == null) {
        everyone.add(sub);
      } else {
        byUser.computeIfAbsent(userId, k -> new LinkedHashSet<>()).add(sub);
      }
      start = cursor;
    }
    long sent = lastEventId.orElse(start);
    if (lastEventId.isPresent()) {
      sent = replay(sub, lastEventId.getAsLong());
    }
    synchronized (sub) {
      sub.sent = Math.max(sub.sent, sent);
      for (var e : sub.held) {
        if (e.id() > sub.sent) {
          sub.send(e);
        }
      }
      sub.held.clear();
      sub.live = true;
    }
    if (stream.closed()) {
      // it may have closed before it was registered: its close callback found nothing to remove
      unsubscribe(stream);
    }
  }

  /** Sends what the subscriber missed, page by page, letting each page drain before the next. */
  private long replay(Subscriber sub, long after) {
    long last = after;
    while (!sub.stream.closed()) {
      var page = store.after(last, sub.userId, PAGE);
      for (var e : page) {
        var r = render(e);
        sub.stream.event(r.type(), r.json(), Long.toString(r.id()));
        last = e.id();
      }
      if (page.size() < PAGE) {
        break;
      }
      if (!sub.stream.awaitDrained(REPLAY_DRAIN)) {
        sub.stream.close();
        break;
      }
    }
    return last;
  }

  /** Stops sending to {@code stream}; idempotent. */
  public synchronized void unsubscribe(SseStream stream) {
    var sub = byStream.remove(stream);
    if (sub == null) {
      return;
    }
    if (sub.userId == null) {
      everyone.remove(sub);
    } else {
      var own = byUser.get(sub.userId);
      if (own != null) {
        own.remove(sub);
        if (own.isEmpty()) {
          byUser.remove(sub.userId);
        }
      }
    }
  }

  /** Streams subscribed on this server. */
  public synchronized int subscribers() {
    return byStream.size();
  }

  /** The last id handed out (tests and metrics). */
  public synchronized long cursor() {
    return cursor;
  }

  /** The event's one wire form, the same bytes GET /events and webhooks send, made once. */
  private static Rendered render(Event e) {
    return new Rendered(e.id(), e.type(), e.userId(), e.json());
  }
}
