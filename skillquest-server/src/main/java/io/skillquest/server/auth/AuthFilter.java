package io.skillquest.server.auth;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.core.Keys;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Principal;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.RedisFailOpen;
import io.skillquest.server.http.Role;
import io.skillquest.store.RedisClients;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one place that authenticates callers and enforces {@link Role}s, run before every matched
 * route. A token that is sent must be valid, even on an open route: silently treating a bad token
 * as anonymous would hide client bugs and show admins the anonymous view. {@link Role#PUBLIC}
 * routes are the exception: they never look at the header.
 */
public final class AuthFilter {
  private static final String BEARER = "Bearer ";

  private final Tokens tokens;
  private final UnifiedJedis redis;
  private final Keys keys;
  private final RedisFailOpen failOpen;

  public AuthFilter(Tokens tokens, UnifiedJedis redis, Keys keys, MeterRegistry registry) {
    this.tokens = tokens;
    this.redis = redis;
    this.keys = keys;
    this.failOpen = new RedisFailOpen("token_revocation", registry);
  }

  public void check(Context ctx) {
    var roles = ctx.routeRoles();
    if (roles.contains(Role.PUBLIC)) {
      return;
    }
    var header = ctx.header("Authorization");
    Principal principal = null;
    if (header != null && !header.isBlank()) {
      principal = authenticate(ctx, header.trim());
      Auth.attach(ctx, principal);
    }
    if (roles.contains(Role.ADMIN)) {
      if (principal == null) {
        throw unauthorized(ctx, "a valid bearer access token is required");
      }
      if (!principal.admin()) {
        throw Problem.forbidden("administrators only");
      }
    } else if (roles.contains(Role.USER) && principal == null) {
      throw unauthorized(ctx, "a valid bearer access token is required");
    }
  }

  private Principal authenticate(Context ctx, String header) {
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized(ctx, "only 'Authorization: Bearer <access token>' is accepted");
    }
    Tokens.Claims claims;
    try {
      claims = tokens.verify(header.substring(BEARER.length()).trim(), Tokens.Type.ACCESS);
    } catch (Problem p) {
      throw unauthorized(ctx, p.detail());
    }
    if (revoked(claims)) {
      throw unauthorized(ctx, "the access token has been revoked");
    }
    var role = User.ROLE_ADMIN.equals(claims.role()) ? Role.ADMIN : Role.USER;
    return new Principal(
        claims.userId(),
        claims.username(),
        role,
        claims.jti().toString(),
        claims.familyId().toString(),
        claims.expiresAt());
  }

  /**
   * Fails open when Redis is down: revocation only shortens a token's 30-minute life, while failing
   * closed would make every authenticated call (submitting attempts above all) fail during a Redis
   * outage. The risk is bounded by the access-token lifetime; the skip is logged and counted.
   */
  private boolean revoked(Tokens.Claims claims) {
    try {
      return RedisClients.anyExists(
          redis, keys.revokedToken(claims.jti().toString()), keys.revokedFamily(claims.familyId()));
    } catch (JedisException e) {
      failOpen.record(e);
      return false;
    }
  }

  private static Problem unauthorized(Context ctx, String detail) {
    ctx.header("WWW-Authenticate", "Bearer");
    return Problem.unauthorized(detail);
  }
}
