package io.skillquest.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.Keys;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Sets poison messages aside (LPUSH onto the dead-letter list as {@code {reason, detail, payload,
 * at}}) so one bad message never stops the loop, and an operator can inspect them ({@code
 * skillquest-worker dead-letters}) or replay them once the cause is fixed ({@code skillquest-worker
 * replay-dead-letters}).
 */
final class DeadLetters {

  /** Why a message was set aside; the metric tag and the envelope's {@code reason}. */
  enum Reason {
    MALFORMED("malformed"),
    UNKNOWN_ATTEMPT("unknown_attempt"),
    NOT_SUBMITTED("not_submitted"),
    PROCESSING_FAILED("processing_failed");

    final String wire;

    Reason(String wire) {
      this.wire = wire;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_PAYLOAD_CHARS = 8192;
  private static final ObjectMapper json = new ObjectMapper();

  private final UnifiedJedis redis;
  private final Keys keys;
  private final WorkerMetrics metrics;

  DeadLetters(UnifiedJedis redis, Keys keys, WorkerMetrics metrics) {
    this.redis = redis;
    this.keys = keys;
    this.metrics = metrics;
  }

  void add(String payload, Reason reason, String detail) {
    String kept =
        payload.length() > MAX_PAYLOAD_CHARS ? payload.substring(0, MAX_PAYLOAD_CHARS) : payload;
    metrics.deadLetter(reason.wire);
    log.warn("dead letter ({}: {}): {}", reason.wire, detail, abbreviate(kept));
    var envelope = new LinkedHashMap<String, Object>();
    envelope.put("reason", reason.wire);
    envelope.put("detail", detail);
    envelope.put("payload", kept);
    envelope.put("at", Instant.now().toString());
    try {
      redis.lpush(keys.deadLetters(), json.writeValueAsString(envelope));
    } catch (JedisException | JsonProcessingException e) {
      // the log line above is then the only record; the loop goes on
      log.error("could not store the dead letter: {}", Failures.describe(e));
    }
  }

  // one envelope at a time, atomically: a crash mid-replay can neither lose a letter nor queue it
  // twice
  private static final String REPLAY_ONE =
      """
            local envelope = redis.call('RPOP', KEYS[1])
            if not envelope then return 0 end
            local ok, letter = pcall(cjson.decode, envelope)
            if ok and type(letter) == 'table' and type(letter.payload) == 'string' then
                redis.call('LPUSH', KEYS[2], letter.payload)
            else
                redis.call('LPUSH', KEYS[2], envelope)
            end
            return 1""";

  /**
   * Puts every dead letter's payload back on the award queue, oldest first, and empties the
   * dead-letter list; for after a fix (a missing attempt restored, a bug deployed). Letters that
   * are still bad are simply set aside again by the worker. Only letters present when it starts are
   * moved, so it ends.
   *
   * @return letters replayed
   */
  static long replay(UnifiedJedis redis, Keys keys) {
    adoptLegacy(redis, keys);
    long present = redis.llen(keys.deadLetters());
    long moved = 0;
    while (moved < present
        && ((Long) redis.eval(REPLAY_ONE, List.of(keys.deadLetters(), keys.queue()), List.of()))
            == 1L) {
      moved++;
    }
    return moved;
  }

  /**
   * Moves the letters an older version set aside under {@link Keys#legacyDeadLetters()} to {@link
   * Keys#deadLetters()}, oldest first so the order is kept. One Redis server moves each letter
   * atomically (LMOVE); a cluster, where the two names live in different slots, pops and pushes (a
   * crash between the two can lose that one letter, whose attempt the recovery sweep still finds).
   *
   * @return letters moved
   */
  static long adoptLegacy(UnifiedJedis redis, Keys keys) {
    String legacy = keys.legacyDeadLetters();
    long moved = 0;
    if (redis instanceof JedisCluster) {
      String letter;
      while ((letter = redis.rpop(legacy)) != null) {
        redis.lpush(keys.deadLetters(), letter);
        moved++;
      }
    } else {
      while (redis.lmove(legacy, keys.deadLetters(), ListDirection.RIGHT, ListDirection.LEFT)
          != null) {
        moved++;
      }
    }
    if (moved > 0) {
      log.info("moved {} dead letters from {} to {}", moved, legacy, keys.deadLetters());
    }
    return moved;
  }

  /** The dead letters, newest first, as stored (JSON envelopes). */
  static List<String> list(UnifiedJedis redis, Keys keys, int limit) {
    adoptLegacy(redis, keys);
    return redis.lrange(keys.deadLetters(), 0, limit - 1);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
