package io.skillquest.server.http;

import io.javalin.http.Context;
import java.util.List;

/**
 * Refuses requests that carry a method-override header. Javalin routes on {@code
 * X-HTTP-Method-Override} when it is present, so a {@code GET} (which a browser form, an image tag
 * or a cache may send on a user's behalf) could run a {@code DELETE}. The API has no client that
 * needs tunnelling, so the header is an error, checked before routing; the other two common
 * spellings are refused too, in case a proxy in front honours them.
 */
public final class MethodOverride {
  static final List<String> HEADERS =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private MethodOverride() {}

  /** A before-handler: 400 when any override header is present. */
  public static void refuse(Context ctx) {
    for (var name : HEADERS) {
      if (ctx.req().getHeader(name) != null) {
        throw Problem.badRequest(
            name + " is not supported: send the request with its real HTTP method");
      }
    }
  }
}
