package io.skillquest.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * CORS for the configured origins (SKILLQUEST_CORS_ORIGINS; {@code *} for any) and OPTIONS for
 * every known path. A preflight from an allowed origin is answered 204 with the path's methods and
 * the two request headers the API reads; any other origin gets no {@code Access-Control-Allow-*}
 * header at all, so the browser refuses the call. Credentials are bearer tokens, never cookies, so
 * {@code Allow-Credentials} is not sent.
 */
public final class Cors {
  private static final String ALLOWED_HEADERS = "Authorization, Content-Type";
  private static final String EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate";
  private static final String MAX_AGE_SECONDS = "600";

  private final List<String> origins;
  private final RouteTable routes;

  public Cors(List<String> origins, RouteTable routes) {
    this.origins = List.copyOf(origins);
    this.routes = routes;
  }

  public void handle(Context ctx) {
    var origin = ctx.header("Origin");
    boolean allowed = origin != null && (origins.contains("*") || origins.contains(origin));
    if (!origins.isEmpty()) {
      ctx.header("Vary", "Origin");
    }
    if (allowed) {
      ctx.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
      ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
    if (ctx.method() != HandlerType.OPTIONS) {
      return;
    }
    var methods = routes.methods(ctx.path());
    if (methods.isEmpty()) {
      return; // an unknown path stays a 404
    }
    var allow = String.join(", ", methods);
    ctx.header("Allow", allow);
    if (allowed && ctx.header("Access-Control-Request-Method") != null) {
      ctx.header("Access-Control-Allow-Methods", allow);
      ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
    }
    ctx.status(204);
    ctx.res().setContentType(null); // after-handlers are skipped too, so NoContent cannot do it
    ctx.skipRemainingHandlers();
  }
}
