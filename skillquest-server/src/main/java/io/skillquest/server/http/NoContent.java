package io.skillquest.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Javalin gives every response a default {@code text/plain} Content-Type; an answer without a body
 * (204, 304, or a HEAD that no handler described) must not claim one, or strict clients try to
 * parse it.
 */
public final class NoContent {
  private NoContent() {}

  public static void strip(Context ctx) {
    int status = ctx.statusCode();
    boolean bodiless = status == 204 || status == 304;
    boolean defaultHead =
        ctx.method() == HandlerType.HEAD
            && ctx.res().getContentType() != null
            && ctx.res().getContentType().startsWith("text/plain");
    if (bodiless || defaultHead) {
      ctx.res().setContentType(null);
    }
  }
}
