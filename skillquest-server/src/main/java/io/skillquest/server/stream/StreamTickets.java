package io.skillquest.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.Keys;
import io.skillquest.server.http.Principal;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Single-use tickets that open an event stream: a browser's EventSource cannot send an
 * Authorization header, and an access token in a URL would end up in logs and history. A ticket
 * names the login that asked for it, lives {@link #LIFETIME} in Redis (so any server instance can
 * redeem it) and is taken with GETDEL, so it opens at most one stream.
 */
public final class StreamTickets {
  static final Duration LIFETIME = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the client gets back. */
  public record Ticket(String ticket, Instant expiresAt) {}

  /** What Redis keeps under a ticket: the login that asked for it. */
  record Holder(
      long userId, String username, Role role, String jti, String familyId, Instant expiresAt) {
    Principal principal() {
      return new Principal(userId, username, role, jti, familyId, expiresAt);
    }
  }

  private final UnifiedJedis redis;
  private final Keys keys;
  private final ObjectMapper json;
  private final Clock clock;

  public StreamTickets(UnifiedJedis redis, Keys keys, ObjectMapper json, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.json = json;
    this.clock = clock;
  }

  /** A new ticket for {@code p}'s login. */
  public Ticket issue(Principal p) {
    var bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    var ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    var holder =
        new Holder(p.userId(), p.username(), p.role(), p.jti(), p.familyId(), p.expiresAt());
    try {
      redis.set(
          keys.streamTicket(ticket),
          json.writeValueAsString(holder),
          SetParams.setParams().px(LIFETIME.toMillis()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (JedisException e) {
      throw Problem.unavailable("tickets cannot be issued right now, retry in a moment", 1);
    }
    return new Ticket(ticket, clock.instant().plus(LIFETIME));
  }

  /**
   * The login a ticket was issued to, spending the ticket; empty when unknown, spent or expired.
   */
  public Optional<Principal> redeem(String ticket) {
    if (ticket.isEmpty() || ticket.length() > 100) {
      return Optional.empty();
    }
    String value;
    try {
      value = redis.getDel(keys.streamTicket(ticket));
    } catch (JedisException e) {
      throw Problem.unavailable("tickets cannot be checked right now, retry in a moment", 1);
    }
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(value, Holder.class).principal());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
