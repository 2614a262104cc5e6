package io.skillquest.server.http;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * How every admin write on a resource answers: the audit line first, then 201 with Location, 200
 * with the new state, or 204; 404 when the target does not exist.
 */
public final class AdminWrites {
  private AdminWrites() {}

  /** A new {@code resource} with {@code id}, e.g. {@code created(ctx, "badge", 7, badge)}. */
  public static void created(Context ctx, String resource, long id, Object body) {
    Audit.record(ctx, resource + ".create", resource + ":" + id);
    ctx.status(201).header("Location", "/api/v1/" + resource + "s/" + id).json(body);
  }

  /** The state after an update, or 404 when there was nothing to update. */
  public static void updated(Context ctx, String resource, long id, Optional<?> body) {
    var state = body.orElseThrow(() -> notFound(resource, id));
    Audit.record(ctx, resource + ".update", resource + ":" + id);
    ctx.json(state);
  }

  /** 204 after a delete, or 404 when there was nothing to delete. */
  public static void deleted(Context ctx, String resource, long id, boolean found) {
    if (!found) {
      throw notFound(resource, id);
    }
    Audit.record(ctx, resource + ".delete", resource + ":" + id);
    ctx.status(204);
  }

  public static Problem notFound(String resource, long id) {
    return Problem.notFound("no such " + resource + ": " + id);
  }
}
