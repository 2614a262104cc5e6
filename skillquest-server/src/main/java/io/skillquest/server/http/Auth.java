package io.skillquest.server.http;

import io.javalin.http.Context;
import java.util.Optional;

/** Reads the caller that {@link AuthFilter} attached to the request. */
public final class Auth {
  static final String ATTRIBUTE = "skillquest.principal";

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
}
