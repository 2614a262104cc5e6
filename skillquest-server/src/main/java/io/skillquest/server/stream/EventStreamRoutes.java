package io.skillquest.server.stream;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Principal;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import java.util.OptionalLong;

/**
 * /api/v1/events/stream and /api/v1/events/tickets: the caller's events (an admin's: everyone's) as
 * Server-Sent Events, opened with a bearer token or a single-use ticket.
 */
public final class EventStreamRoutes implements EndpointGroup {
  private final Streams streams;
  private final EventHub hub;
  private final StreamTickets tickets;

  public EventStreamRoutes(Streams streams, EventHub hub, StreamTickets tickets) {
    this.streams = streams;
    this.hub = hub;
    this.tickets = tickets;
  }

  @Override
  public void addEndpoints() {
    // ANYONE: a ticket stands in for the header, so the filter must let a request without one
    // through; this handler then insists on one or the other
    get("stream", this::stream, Role.ANYONE);
    post("tickets", this::ticket, Role.USER);
  }

  void ticket(Context ctx) {
    ctx.status(201).json(tickets.issue(Auth.principal(ctx)));
  }

  void stream(Context ctx) {
    var lastEventId = lastEventId(ctx);
    var principal = principal(ctx);
    Long userId = principal.admin() ? null : principal.userId();
    streams.open(ctx, principal, s -> hub.subscribe(s, userId, lastEventId), hub::unsubscribe);
  }

  private Principal principal(Context ctx) {
    var fromHeader = Auth.optionalPrincipal(ctx);
    if (fromHeader.isPresent()) {
      return fromHeader.get();
    }
    var ticket = Params.query(ctx, "ticket");
    if (ticket == null) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw Problem.unauthorized(
          "a bearer access token, or a ticket from POST /api/v1/events/tickets, is required");
    }
    var p =
        tickets
            .redeem(ticket)
            .orElseThrow(
                () -> Problem.unauthorized("the ticket is unknown, already used or expired"));
    if (streams.revoked(p)) {
      throw Problem.unauthorized("the login that asked for this ticket has ended");
    }
    return p;
  }

  /** {@code Last-Event-ID} (what EventSource sends on reconnect) or {@code ?last_event_id=}. */
  static OptionalLong lastEventId(Context ctx) {
    var raw = ctx.header("Last-Event-ID");
    String name = "Last-Event-ID";
    if (raw == null || raw.isBlank()) {
      raw = Params.query(ctx, "last_event_id");
      name = "last_event_id";
    }
    if (raw == null || raw.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      long id = Long.parseLong(raw.trim());
      if (id >= 0) {
        return OptionalLong.of(id);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.invalidField(name, "must be an event id (a non-negative integer)");
  }
}
