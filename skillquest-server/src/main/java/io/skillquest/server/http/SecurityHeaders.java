package io.skillquest.server.http;

import io.javalin.http.Context;

/**
 * Headers every response carries, set after the handler (so error responses get them too):
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer};
 *   <li>a Content-Security-Policy when the handler set none: nothing may load or frame an API
 *       response; the Swagger UI page gets what it needs from this origin (its setup script is
 *       inline) and may not be framed either;
 *   <li>{@code Cache-Control: no-store} on every /auth response (tokens) and every response to a
 *       request that carried credentials, so no shared or browser cache keeps a user's data;
 *   <li>{@code Strict-Transport-Security} in production, where TLS is terminated in front of the
 *       server (browsers ignore it over plain HTTP, so development is unaffected anyway).
 * </ul>
 */
public final class SecurityHeaders {
  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
  static final String DOCS_POLICY =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data:; frame-ancestors 'none'";
  static final String HSTS = "max-age=31536000; includeSubDomains";

  private final boolean production;

  public SecurityHeaders(boolean production) {
    this.production = production;
  }

  /** An after-handler. */
  public void apply(Context ctx) {
    var res = ctx.res();
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    if (res.getHeader("Content-Security-Policy") == null) {
      res.setHeader(
          "Content-Security-Policy", ctx.path().startsWith("/docs") ? DOCS_POLICY : API_POLICY);
    }
    if (ctx.path().startsWith("/api/v1/auth/") || ctx.req().getHeader("Authorization") != null) {
      res.setHeader("Cache-Control", "no-store");
    }
    if (production) {
      res.setHeader("Strict-Transport-Security", HSTS);
    }
  }
}
