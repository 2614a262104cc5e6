package io.skillquest.server.event;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;
import io.skillquest.store.events.Event;
import io.skillquest.store.events.EventStore;
import java.util.stream.Collectors;

/** /api/v1/events: the outbox, oldest first; admins read everyone's events, users their own. */
public final class EventRoutes implements EndpointGroup {
  static final int DEFAULT_LIMIT = 100;

  private final EventStore events;

  public EventRoutes(Services services) {
    this.events = new EventStore(services.jdbi());
  }

  @Override
  public void addEndpoints() {
    get(this::list, Role.USER);
  }

  void list(Context ctx) {
    long after = after(ctx);
    int limit = Params.queryInt(ctx, "limit", DEFAULT_LIMIT, 1, EventStore.MAX_LIMIT);
    var caller = Auth.principal(ctx);
    var page = events.after(after, caller.admin() ? null : caller.userId(), limit);
    // each event is already the JSON every consumer receives; the page is their array
    ctx.contentType(ContentType.APPLICATION_JSON)
        .result(page.stream().map(Event::json).collect(Collectors.joining(",", "[", "]")));
  }

  /** The last event id the caller has; 0 (the default) reads from the oldest event kept. */
  private static long after(Context ctx) {
    var raw = Params.query(ctx, "after");
    if (raw == null || raw.isEmpty()) {
      return 0;
    }
    if (raw.length() <= 19 && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException ignored) {
        // out of range: reported below
      }
    }
    throw Problem.invalidField("after", "must be an event id: an integer of 0 or more");
  }
}
