package io.skillquest.server.http;

import io.javalin.http.Context;
import java.util.Optional;

/** Reads the caller that {@link AuthFilter} attached to the request. */
public final class Auth {
  static final String ATTRIBUTE = "skillquest.principal";
  static final String CLIENT_ATTRIBUTE = "skillquest.client";

  private Auth() {}

  /** The signed-in caller; 401 when the request carries no valid access token. */
  public static Principal principal(Context ctx) {
    return optionalPrincipal(ctx)
        .orElseThrow(() -> Problem.unauthorized("a valid bearer access token is required"));
  }

  public static Optional<Principal> optionalPrincipal(Context ctx) {
    return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
  }

  public static boolean isAdmin(Context ctx) {
    return optionalPrincipal(ctx).map(Principal::admin).orElse(false);
  }

  /** Only the authentication filter calls this, after it verified the token. */
  public static void attach(Context ctx, Principal principal) {
    ctx.attribute(ATTRIBUTE, principal);
  }

  /** The calling API client; 401 when the request carries no valid client secret. */
  public static ClientPrincipal client(Context ctx) {
    return Optional.<ClientPrincipal>ofNullable(ctx.attribute(CLIENT_ATTRIBUTE))
        .orElseThrow(() -> Problem.unauthorized("a valid API client secret is required"));
  }

  /** Only the authentication filter calls this, after it verified the client's secret. */
  public static void attachClient(Context ctx, ClientPrincipal client) {
    ctx.attribute(CLIENT_ATTRIBUTE, client);
  }

  /**
   * Who is calling, as a key for state kept per caller (idempotency records): a user's id, or
   * {@code client-} and an API client's id, so the two kinds of caller never share an entry.
   */
  static String callerKey(Context ctx) {
    ClientPrincipal client = ctx.attribute(CLIENT_ATTRIBUTE);
    if (client != null) {
      return "client-" + client.id();
    }
    return Long.toString(principal(ctx).userId());
  }
}
