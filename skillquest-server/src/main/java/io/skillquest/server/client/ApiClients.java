package io.skillquest.server.client;

import io.skillquest.core.Keys;
import io.skillquest.server.client.ApiClientDao.Credential;
import io.skillquest.server.config.Limit;
import io.skillquest.server.http.ClientPrincipal;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.RateLimiter;
import io.skillquest.server.http.Services;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Authenticates API clients by their secret, and revokes them.
 *
 * <p>A request costs a SHA-256 of the secret, a constant-time compare with the hash this instance
 * read from the database (kept for {@link #CACHE_FOR}), and one Redis round trip that checks a
 * revocation marker and counts the client's rate limit together. Revoking writes that marker before
 * it commits, so a revoked secret is refused at once by every server instance, whatever they hold
 * in memory. While Redis is unreachable the database is asked instead: it decides, so a revocation
 * is never missed for want of the marker. If Redis loses its data, instances notice a revocation
 * when their copy expires, within {@link #CACHE_FOR}.
 */
public final class ApiClients {
  static final Duration CACHE_FOR = Duration.ofSeconds(30);

  /** last_used_at is written at most this often per client and instance, not once per request. */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ApiClients.class);
  private static final long NEVER = Long.MIN_VALUE;
  private static final int MAX_UNKNOWN = 10_000;

  private record Cached(Credential credential, long loadedAt, AtomicLong touchedAt) {}

  private final ApiClientDao dao;
  private final UnifiedJedis redis;
  private final Keys keys;
  private final RateLimiter limiter;
  private final Limit limit;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * Key ids recently looked up and not found, so made-up secrets repeated at line rate cost no
   * database read each. Key ids are 64 random bits: a client created later is never among them.
   */
  private final ConcurrentHashMap<String, Long> unknown = new ConcurrentHashMap<>();

  public ApiClients(Services services, RateLimiter limiter) {
    this.dao = new ApiClientDao(services.jdbi());
    this.redis = services.redis();
    this.keys = services.keys();
    this.limiter = limiter;
    this.limit = services.config().auth().clientRateLimit();
  }

  /** True for a bearer token shaped like a client secret (a user's token never is). */
  public static boolean isClientSecret(String token) {
    return ClientSecret.looksLike(token);
  }

  /**
   * The client whose secret {@code token} is, counted against its rate limit.
   *
   * @throws Problem 401 for an unknown, malformed or revoked secret; 429 past the rate limit
   */
  public ClientPrincipal authenticate(String token) {
    var secret = ClientSecret.parse(token).orElseThrow(ApiClients::invalid);
    long now = System.nanoTime();
    var cached = cache.get(secret.keyId());
    if (cached == null || now - cached.loadedAt() > CACHE_FOR.toNanos()) {
      Long missedAt = unknown.get(secret.keyId());
      if (missedAt != null && now - missedAt < CACHE_FOR.toNanos()) {
        throw invalid();
      }
      var loaded = dao.credential(secret.keyId());
      if (loaded.isEmpty()) {
        cache.remove(secret.keyId());
        if (unknown.size() >= MAX_UNKNOWN) {
          unknown.clear();
        }
        unknown.put(secret.keyId(), now);
        throw invalid();
      }
      cached = new Cached(loaded.get(), now, new AtomicLong(NEVER));
      cache.put(secret.keyId(), cached);
    }
    var credential = cached.credential();
    if (!secret.matches(credential.hash())) {
      throw invalid();
    }
    if (credential.revoked()) {
      throw revoked();
    }
    admit(secret.keyId(), credential.id());
    touch(cached, now);
    return new ClientPrincipal(credential.id(), credential.name(), credential.scopes());
  }

  /**
   * The revocation marker and the rate limit, in one Redis round trip. While Redis cannot answer,
   * the database decides revocation (one indexed read per request meanwhile) and the rate limit
   * lets the call through, as every limit of this server does during an outage.
   */
  private void admit(String keyId, long id) {
    Optional<RateLimiter.Decision> decision;
    try {
      decision = limiter.hitUnlessMarked(rateKey(id), marker(id), limit);
    } catch (JedisException e) {
      log.debug("Redis unavailable for API client {}: asking the database", id, e);
      Optional<Credential> now = dao.credential(keyId);
      if (now.isEmpty() || now.get().revoked()) {
        throw revoked();
      }
      return;
    }
    if (decision.isEmpty()) {
      cache.values().removeIf(c -> c.credential().id() == id);
      throw revoked();
    }
    RateLimiter.enforce429(decision.get(), "API client " + id + " made too many requests");
  }

  /**
   * Revokes a client everywhere at once; false when there is no such client.
   *
   * @throws Problem 503 when the revocation marker cannot be written (nothing is changed then)
   */
  boolean revoke(long id) {
    if (dao.find(id).isEmpty()) {
      return false;
    }
    try {
      redis.set(marker(id), "1");
    } catch (JedisException e) {
      throw Problem.unavailable(
          "cannot revoke while Redis is unreachable: other server instances would go on accepting"
              + " the secret; nothing was changed, retry shortly",
          5);
    }
    dao.revoke(id);
    cache.values().removeIf(c -> c.credential().id() == id);
    return true;
  }

  private void touch(Cached cached, long now) {
    long last = cached.touchedAt().get();
    if (last != NEVER && now - last < TOUCH_EVERY.toNanos()) {
      return;
    }
    if (cached.touchedAt().compareAndSet(last, now)) {
      try {
        dao.touch(cached.credential().id(), TOUCH_EVERY.toSeconds());
      } catch (JdbiException e) {
        // a missed last_used_at is not worth failing the grader's request for
        log.warn("could not record the use of API client {}: {}", cached.credential().id(), e);
      }
    }
  }

  // the marker and the counter share the hash tag {id}: one script may touch both in Redis Cluster
  private String marker(long id) {
    return keys.revokedToken("client:{" + id + "}");
  }

  private String rateKey(long id) {
    return keys.rateLimit("client", "{" + id + "}");
  }

  private static Problem revoked() {
    return Problem.unauthorized("this API client has been revoked");
  }

  private static Problem invalid() {
    return Problem.unauthorized("unknown or invalid API client secret");
  }
}
