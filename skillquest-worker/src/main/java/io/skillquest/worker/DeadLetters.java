package io.skillquest.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.queue.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * Sets poison messages aside (LPUSH onto the dead-letter list as {@code {reason, detail, payload, at}})
 * so one bad message never stops the loop, and an operator can inspect or replay them later.
 */
final class DeadLetters {

    /** Why a message was set aside; the metric tag and the envelope's {@code reason}. */
    enum Reason {
        MALFORMED("malformed"), UNKNOWN_ATTEMPT("unknown_attempt"), NOT_SUBMITTED("not_submitted"),
        PROCESSING_FAILED("processing_failed");

        final String wire;

        Reason(String wire) {
            this.wire = wire;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_PAYLOAD_CHARS = 8192;
    private static final ObjectMapper json = new ObjectMapper();

    private final JedisPooled redis;
    private final Keys keys;
    private final WorkerMetrics metrics;

    DeadLetters(JedisPooled redis, Keys keys, WorkerMetrics metrics) {
        this.redis = redis;
        this.keys = keys;
        this.metrics = metrics;
    }

    void add(String payload, Reason reason, String detail) {
        String kept = payload.length() > MAX_PAYLOAD_CHARS ? payload.substring(0, MAX_PAYLOAD_CHARS) : payload;
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

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
