package io.skillquest.server.stream;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.core.Keys;
import io.skillquest.server.config.StreamSettings;
import io.skillquest.server.http.Principal;
import io.skillquest.server.http.Problem;
import io.skillquest.store.RedisClients;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Every open stream on this server: the caps (per user and per server, 429 beyond them), the
 * keep-alive comment, and the end of a stream whose login ended. A logout is a revocation marker in
 * Redis, written by whichever server took it; every {@link #REVOCATION_CHECK} this server looks up
 * the markers of all its streams' tokens in one pipelined round trip, so a logout on any instance
 * closes its streams everywhere within about a second, at a cost of one Redis round trip per second
 * per server however many streams are open, with no change to the logout path and nothing lost when
 * a server was briefly away (a pub/sub message would be). A stream also ends when its access token
 * expires: a stream never outlives the credential that opened it.
 */
public final class Streams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Streams.class);
  static final Duration REVOCATION_CHECK = Duration.ofSeconds(1);
  static final String EVENT_STREAM = "text/event-stream";

  /** A place reserved for one stream before its response starts; released when it closes. */
  public final class Slot {
    private final Long userId;
    private boolean released;

    private Slot(Long userId) {
      this.userId = userId;
    }

    void release() {
      synchronized (Streams.this) {
        if (released) {
          return;
        }
        released = true;
        total--;
        if (userId != null) {
          perUser.computeIfPresent(userId, (k, n) -> n <= 1 ? null : n - 1);
        }
      }
    }
  }

  private final StreamSettings settings;
  private final UnifiedJedis redis;
  private final Keys keys;
  private final Clock clock;
  private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
  private final Map<Long, Integer> perUser = new HashMap<>();
  private int total;
  private volatile boolean stopping;
  private final ExecutorService writers;
  private final ScheduledExecutorService ticker;
  private final AtomicInteger threads = new AtomicInteger();

  public Streams(
      StreamSettings settings, UnifiedJedis redis, Keys keys, Clock clock, MeterRegistry registry) {
    this.settings = settings;
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    // a thread is busy only while it writes to a socket; one blocked on a stalled client never
    // holds up the others
    this.writers =
        Executors.newCachedThreadPool(
            r -> {
              var t = new Thread(r, "sse-writer-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "sse-ticker");
              t.setDaemon(true);
              return t;
            });
    long keepAlive = settings.keepAlive().toMillis();
    ticker.scheduleAtFixedRate(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
    long check = REVOCATION_CHECK.toMillis();
    ticker.scheduleWithFixedDelay(this::endRevoked, check, check, TimeUnit.MILLISECONDS);
    Gauge.builder("skillquest_sse_streams_open", open, Set::size)
        .description("Server-Sent Event streams open on this server")
        .register(registry);
  }

  /**
   * Reserves a place for a stream, before any byte of it is sent.
   *
   * @param principal the owner, or null for a public stream (counted against the server's cap only)
   * @throws Problem 429 beyond a cap, 503 while the server stops
   */
  synchronized Slot reserve(Principal principal) {
    if (stopping) {
      throw Problem.unavailable("the server is stopping, reconnect to another instance", 1);
    }
    if (total >= settings.maxPerServer()) {
      throw Problem.tooManyRequests(
          "this server holds its maximum of " + settings.maxPerServer() + " open streams", 5);
    }
    Long userId = principal == null ? null : principal.userId();
    if (userId != null && perUser.getOrDefault(userId, 0) >= settings.maxPerUser()) {
      throw Problem.tooManyRequests(
          "at most " + settings.maxPerUser() + " open event streams per user; close one first", 5);
    }
    total++;
    if (userId != null) {
      perUser.merge(userId, 1, Integer::sum);
    }
    return new Slot(userId);
  }

  /**
   * Answers the request with a stream: refuses a request that does not accept {@code
   * text/event-stream} (406) or would pass a cap (429) before sending anything, then starts the
   * response and calls {@code onOpen} on a request thread; {@code onClose} runs once when the
   * stream ends, whoever ends it.
   *
   * @param principal the owner, or null for a public stream
   */
  public void open(
      Context ctx, Principal principal, Consumer<SseStream> onOpen, Consumer<SseStream> onClose) {
    var accept = ctx.header(Header.ACCEPT);
    if (accept == null || !accept.contains(EVENT_STREAM)) {
      throw new Problem(
          406,
          "Not Acceptable",
          "this is a Server-Sent Event stream: send Accept: " + EVENT_STREAM);
    }
    var slot = reserve(principal);
    try {
      new SseHandler(
              client -> {
                var stream = attach(slot, client, principal, onClose);
                try {
                  onOpen.accept(stream);
                } catch (RuntimeException e) {
                  log.warn("a stream failed to start: {}", e.toString());
                  stream.close();
                }
              })
          .handle(ctx);
    } catch (RuntimeException e) {
      slot.release();
      throw e;
    }
  }

  /**
   * Holds {@code client}'s response open as a stream in {@code slot}; {@code onClose} runs once
   * when it ends, whoever ends it.
   */
  private SseStream attach(
      Slot slot, SseClient client, Principal principal, Consumer<SseStream> onClose) {
    var stream = new SseStream(client, principal, writers);
    client.onClose(
        () -> {
          open.remove(stream);
          slot.release();
          onClose.accept(stream);
        });
    client.keepAlive();
    open.add(stream);
    if (stopping) {
      stream.close();
    }
    return stream;
  }

  /** True when {@code p}'s login was ended (logout, refresh reuse); false while Redis is down. */
  boolean revoked(Principal p) {
    try {
      return RedisClients.anyExists(
          redis, keys.revokedToken(p.jti()), keys.revokedFamily(UUID.fromString(p.familyId())));
    } catch (JedisException e) {
      return false;
    }
  }

  /** Open streams on this server. */
  public int size() {
    return open.size();
  }

  private void keepAlive() {
    for (var s : open) {
      s.comment("keep-alive");
    }
  }

  private void endRevoked() {
    try {
      var now = clock.instant();
      var owned = new ArrayList<SseStream>();
      for (var s : open) {
        var p = s.principal();
        if (p == null) {
          continue;
        }
        if (!p.expiresAt().isAfter(now)) {
          log.debug("closing the stream of user {}: its access token expired", p.userId());
          s.close();
        } else {
          owned.add(s);
        }
      }
      if (owned.isEmpty()) {
        return;
      }
      // one key per EXISTS: the two markers need not share a Redis Cluster slot. A cluster client's
      // pipeline starts worker threads on each sync; once a second per server that is affordable,
      // one round trip per stream would not be
      List<Response<Boolean>> answers = new ArrayList<>(owned.size() * 2);
      try (var pipe = redis.pipelined()) {
        for (var s : owned) {
          var p = s.principal();
          answers.add(pipe.exists(keys.revokedToken(p.jti())));
          answers.add(pipe.exists(keys.revokedFamily(UUID.fromString(p.familyId()))));
        }
        pipe.sync();
      }
      for (int i = 0; i < owned.size(); i++) {
        if (answers.get(2 * i).get() || answers.get(2 * i + 1).get()) {
          owned.get(i).close();
        }
      }
    } catch (JedisException e) {
      // as for requests, revocation fails open while Redis is down: a stream lives on at most until
      // its token expires
      log.warn("could not check stream revocations, Redis is unavailable: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("stream revocation check failed: {}", e.toString());
    }
  }

  /**
   * Refuses new streams and ends the open ones, so a graceful HTTP stop has nothing left to wait
   * for; clients reconnect to another instance.
   */
  @Override
  public void close() {
    stopping = true;
    ticker.shutdownNow();
    for (var s : open) {
      s.close();
    }
    writers.shutdown();
    try {
      writers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
