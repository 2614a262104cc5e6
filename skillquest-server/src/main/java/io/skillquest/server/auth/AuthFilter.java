package io.skillquest.server.auth;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.core.Keys;
import io.skillquest.server.client.ApiClients;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.ClientPrincipal;
import io.skillquest.server.http.Principal;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.RedisFailOpen;
import io.skillquest.server.http.Role;
import io.skillquest.store.RedisClients;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one place that authenticates callers and enforces {@link Role}s, run before every matched
 * route. A token that is sent must be valid, even on an open route: silently treating a bad token
 * as anonymous would hide client bugs and show admins the anonymous view. {@link Role#PUBLIC}
 * routes are the exception: they never look at the header.
 *
 * <p>API clients (servers) and people never share a route: a client secret is refused on every
 * route of people, and a user's access token on every route of a client scope ({@link
 * Role#GRADER}).
 */
public final class AuthFilter {
  private static final String BEARER = "Bearer ";

  private final Tokens tokens;
  private final UnifiedJedis redis;
  private final Keys keys;
  private final RedisFailOpen failOpen;
  private final ApiClients clients;

  public AuthFilter(
      Tokens tokens, UnifiedJedis redis, Keys keys, MeterRegistry registry, ApiClients clients) {
    this.clients = clients;
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
    var scoped = roles.stream().map(r -> r instanceof Role role ? role.scope() : null);
    var scope = scoped.filter(Objects::nonNull).findFirst();
    if (scope.isPresent()) {
      checkClient(ctx, header, scope.get());
      return;
    }
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

  /**
   * A route of API clients holding {@code scope}: only a valid, unrevoked client secret with that
   * scope passes, within its client's rate limit (counted even when the scope is missing). A valid
   * user token is 403 (known, but the wrong kind of caller); anything else 401.
   */
  private void checkClient(Context ctx, String header, String scope) {
    String required = "an API client secret with scope '" + scope + "' is required";
    if (header == null || header.isBlank()) {
      throw unauthorized(ctx, required);
    }
    String token = bearer(ctx, header.trim(), "only 'Authorization: Bearer <client secret>'");
    if (!ApiClients.isClientSecret(token)) {
      try {
        tokens.verify(token, Tokens.Type.ACCESS);
      } catch (Problem p) {
        throw unauthorized(ctx, required);
      }
      throw Problem.forbidden(
          "this route is for API clients (scope '"
              + scope
              + "'): a user's access token is not accepted here");
    }
    ClientPrincipal client;
    try {
      client = clients.authenticate(token);
    } catch (Problem p) {
      throw p.status() == 401 ? unauthorized(ctx, p.detail()) : p;
    }
    if (!client.scopes().contains(scope)) {
      throw Problem.forbidden("this API client lacks the scope '" + scope + "'");
    }
    Auth.attachClient(ctx, client);
  }

  private static String bearer(Context ctx, String header, String accepted) {
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized(ctx, accepted + " is accepted");
    }
    return header.substring(BEARER.length()).trim();
  }

  private Principal authenticate(Context ctx, String header) {
    String token = bearer(ctx, header, "only 'Authorization: Bearer <access token>'");
    if (ApiClients.isClientSecret(token)) {
      throw unauthorized(
          ctx,
          "an API client secret is accepted only on the routes of API clients (/api/v1/grader/...);"
              + " this route takes a user's access token");
    }
    Tokens.Claims claims;
    try {
      claims = tokens.verify(token, Tokens.Type.ACCESS);
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
