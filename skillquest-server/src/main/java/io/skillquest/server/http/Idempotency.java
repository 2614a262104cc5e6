package io.skillquest.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The {@code Idempotency-Key} request header (IETF httpapi draft semantics) for POSTs that must not
 * take effect twice when a client retries.
 *
 * <p>The first request with a key claims it in Redis, so the guarantee holds across server
 * instances, and its successful response (status, body, Location) is stored for 24 hours per
 * caller: two callers may use the same key. A repeat with the same key and the same method, path
 * and body gets the stored response with {@code Idempotent-Replayed: true} and no second effect;
 * the same key with another request is 422; a repeat while the first is still running is 409. A
 * request refused with an error has no effect and leaves nothing behind, so it can be corrected and
 * sent again with its key. Keys are 1-255 visible ASCII characters.
 */
public final class Idempotency {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_KEY = 255;
  static final Duration KEPT = Duration.ofHours(24);

  /**
   * How long a claim outlives a request that never finished (a crashed server): long enough for any
   * real request, short enough that the key does not answer 409 for a day.
   */
  static final Duration RUNNING = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

  /** What an idempotent handler answers; written by this class so it can also be stored. */
  public record Reply(int status, Object body, String location) {}

  /** A handler whose response can be stored and replayed. */
  @FunctionalInterface
  public interface ReplyingHandler {
    Reply handle(Context ctx) throws Exception;
  }

  /** The stored state of a key: running (no status yet) or done with its response. */
  record Entry(String fingerprint, Integer status, String body, String location) {}

  private final UnifiedJedis redis;
  private final String prefix;
  private final ObjectMapper json;

  public Idempotency(Services services) {
    this.redis = services.redis();
    this.prefix = services.keys().prefix() + "idempotency:";
    this.json = services.json();
  }

  /** Wraps a handler of a route that requires a signed-in user or an API client. */
  public Handler around(ReplyingHandler handler) {
    return ctx -> {
      String key = ctx.header(HEADER);
      if (key == null) {
        write(ctx, handler.handle(ctx));
        return;
      }
      checkKey(key);
      String stored = prefix + Auth.callerKey(ctx) + ":" + key;
      String fingerprint = fingerprint(ctx);
      if (!claim(stored, fingerprint)) {
        replay(ctx, stored, fingerprint);
        return;
      }
      Reply reply;
      try {
        reply = handler.handle(ctx);
      } catch (Exception | Error e) {
        // a refused or failed request had no effect: free its key for a corrected retry
        release(stored);
        throw e;
      }
      String body = json.writeValueAsString(reply.body());
      keep(stored, new Entry(fingerprint, reply.status(), body, reply.location()));
      ctx.status(reply.status()).contentType("application/json").result(body);
      if (reply.location() != null) {
        ctx.header("Location", reply.location());
      }
    };
  }

  private static void write(Context ctx, Reply reply) {
    ctx.status(reply.status());
    if (reply.location() != null) {
      ctx.header("Location", reply.location());
    }
    ctx.json(reply.body());
  }

  static void checkKey(String key) {
    boolean visibleAscii = key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    if (key.isEmpty() || key.length() > MAX_KEY || !visibleAscii) {
      throw Problem.invalidField(
          HEADER, "must be 1 to " + MAX_KEY + " visible ASCII characters (no spaces)");
    }
  }

  private boolean claim(String stored, String fingerprint) throws JsonProcessingException {
    String running = json.writeValueAsString(new Entry(fingerprint, null, null, null));
    try {
      return "OK"
          .equals(redis.set(stored, running, SetParams.setParams().nx().ex(RUNNING.toSeconds())));
    } catch (JedisException e) {
      // processing without the claim could take effect twice: refuse rather than guess
      throw storeDown();
    }
  }

  private void replay(Context ctx, String stored, String fingerprint) throws Exception {
    String raw;
    try {
      raw = redis.get(stored);
    } catch (JedisException e) {
      throw storeDown();
    }
    if (raw == null) {
      // released or expired between our claim and this read: the client may simply send it again
      throw Problem.conflict("a request with this Idempotency-Key has just finished; retry");
    }
    var entry = json.readValue(raw, Entry.class);
    if (!entry.fingerprint().equals(fingerprint)) {
      throw new Problem(
          422,
          "Unprocessable Content",
          "this Idempotency-Key was already used for a different request");
    }
    if (entry.status() == null) {
      throw Problem.conflict("a request with this Idempotency-Key is still being processed");
    }
    ctx.status(entry.status()).header(REPLAYED, "true").contentType("application/json");
    if (entry.location() != null) {
      ctx.header("Location", entry.location());
    }
    ctx.result(entry.body());
  }

  private static Problem storeDown() {
    return Problem.unavailable(
        "the Idempotency-Key cannot be honoured while its store is unavailable; retry shortly", 5);
  }

  private void keep(String stored, Entry entry) {
    try {
      redis.set(stored, json.writeValueAsString(entry), SetParams.setParams().ex(KEPT.toSeconds()));
    } catch (JedisException | JsonProcessingException e) {
      // the effect happened: the claim stays, so a retry is refused with 409 rather than repeated
      log.warn("could not store an idempotent response ({}); its key stays claimed", e.toString());
    }
  }

  private void release(String stored) {
    try {
      redis.del(stored);
    } catch (JedisException e) {
      log.warn("could not release an Idempotency-Key ({}); it expires on its own", e.toString());
    }
  }

  /**
   * The request a key stands for: method, path and body, hashed so the stored entry stays small.
   */
  private static String fingerprint(Context ctx) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(
          (ctx.method().name() + " " + ctx.path() + "\n").getBytes(StandardCharsets.UTF_8));
      digest.update(ctx.bodyAsBytes());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
