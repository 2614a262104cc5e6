package io.skillquest.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.server.config.Limit;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Fixed-window counters in Redis, so a limit holds across every server instance. One Lua call per
 * hit (check, INCR, then PEXPIRE on the window's first hit) keeps the counter and its expiry
 * atomic.
 *
 * <p>When Redis is unreachable the limiter lets the call through: refusing every login because the
 * counter store is down would turn a Redis outage into a full outage. The miss is logged and
 * counted.
 */
public final class RateLimiter {
  // counts the event only while there is room, so a burst of parallel callers cannot overshoot the
  // limit
  private static final String HIT =
      """
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n >= tonumber(ARGV[2]) then
              return {n + 1, redis.call('PTTL', KEYS[1])}
            end
            n = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if n == 1 or ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {n, ttl}""";
  // the same count, after checking in the same round trip for a key whose presence refuses the
  // caller outright (a revoked credential); then nothing is counted
  private static final String HIT_UNLESS_MARKED =
      "if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, 0} end\n" + HIT;
  // only an existing counter: a DECR after the window expired would create a counter without expiry
  private static final String RELEASE =
      """
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n > 0 then
              redis.call('DECR', KEYS[1])
            end
            return n""";

  /** {@code retryAfterSeconds} is meaningful only when not allowed. */
  public record Decision(boolean allowed, long count, long retryAfterSeconds) {
    static final Decision OPEN = new Decision(true, 0, 0);
  }

  private final UnifiedJedis redis;
  private final RedisFailOpen failOpen;

  public RateLimiter(UnifiedJedis redis, MeterRegistry registry) {
    this.redis = redis;
    this.failOpen = new RedisFailOpen("rate_limit", registry);
  }

  /**
   * Counts one event if the window has room for it, and refuses without counting when it has none;
   * for an event not yet known to count (a login before its password is checked), {@link #release}
   * gives the place back.
   */
  public Decision hit(String key, Limit limit) {
    try {
      var result =
          (List<?>)
              redis.eval(
                  HIT,
                  List.of(key),
                  List.of(Long.toString(limit.window().toMillis()), Long.toString(limit.count())));
      long count = ((Number) result.get(0)).longValue();
      long ttlMillis = Math.max(0, ((Number) result.get(1)).longValue());
      return new Decision(count <= limit.count(), count, Math.max(1, (ttlMillis + 999) / 1000));
    } catch (JedisException e) {
      failOpen.record(e);
      return Decision.OPEN;
    }
  }

  /**
   * {@link #hit}, unless {@code marker} exists: one round trip for a credential's revocation check
   * and its rate limit. The two keys must share a Redis Cluster hash tag. Unlike {@link #hit} it
   * does not fail open: what an outage means is the caller's to decide.
   *
   * @return empty when {@code marker} exists (nothing was counted)
   * @throws JedisException when Redis cannot answer
   */
  public Optional<Decision> hitUnlessMarked(String key, String marker, Limit limit) {
    var result =
        (List<?>)
            redis.eval(
                HIT_UNLESS_MARKED,
                List.of(key, marker),
                List.of(Long.toString(limit.window().toMillis()), Long.toString(limit.count())));
    long count = ((Number) result.get(0)).longValue();
    if (count < 0) {
      return Optional.empty();
    }
    long ttlMillis = Math.max(0, ((Number) result.get(1)).longValue());
    return Optional.of(
        new Decision(count <= limit.count(), count, Math.max(1, (ttlMillis + 999) / 1000)));
  }

  public void release(String key) {
    try {
      redis.eval(RELEASE, List.of(key), List.of());
    } catch (JedisException e) {
      failOpen.record(e);
    }
  }

  /** Throws 429 with Retry-After when the decision says no. */
  public static void enforce429(Decision d, String detail) {
    if (!d.allowed()) {
      throw Problem.tooManyRequests(
          detail + "; retry after " + d.retryAfterSeconds() + " s", d.retryAfterSeconds());
    }
  }
}
