package io.skillquest.server.client;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.server.http.AdminWrites;
import io.skillquest.server.http.Audit;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * /api/v1/admin/clients: API clients (graders and other servers), created, listed and revoked by
 * admins. The secret is in the creation response and nowhere else, ever.
 */
public final class ApiClientRoutes implements EndpointGroup {
  static final int MAX_NAME = 100;

  /** Every scope a client may hold: one per role that API clients can take. */
  static final Set<String> SCOPES =
      Arrays.stream(Role.values())
          .map(Role::scope)
          .filter(Objects::nonNull)
          .collect(Collectors.toCollection(TreeSet::new));

  private final ApiClientDao dao;
  private final ApiClients clients;

  public ApiClientRoutes(Services services, ApiClients clients) {
    this.dao = new ApiClientDao(services.jdbi());
    this.clients = clients;
  }

  @Override
  public void addEndpoints() {
    get(this::list, Role.ADMIN);
    post(this::create, Role.ADMIN);
    path(
        "{id}",
        () -> {
          get(this::show, Role.ADMIN);
          delete(this::revoke, Role.ADMIN);
        });
  }

  void create(Context ctx) {
    var body = Bodies.json(ctx, ClientFields.class);
    var scopes = validate(body);
    var secret = ClientSecret.generate();
    var client = dao.insert(body.name(), scopes, secret, Auth.principal(ctx).userId());
    Audit.record(ctx, "client.create", "client:" + client.id());
    ctx.status(201)
        .header("Location", "/api/v1/admin/clients/" + client.id())
        .header("Cache-Control", "no-store")
        .json(
            new CreatedClient(
                client.id(), client.name(), client.scopes(), secret.text(), client.createdAt()));
  }

  void list(Context ctx) {
    ctx.json(dao.list());
  }

  void show(Context ctx) {
    long id = Params.id(ctx, "id");
    ctx.json(dao.find(id).orElseThrow(() -> AdminWrites.notFound("client", id)));
  }

  void revoke(Context ctx) {
    long id = Params.id(ctx, "id");
    if (!clients.revoke(id)) {
      throw AdminWrites.notFound("client", id);
    }
    Audit.record(ctx, "client.revoke", "client:" + id);
    ctx.status(204);
  }

  /** The scopes, deduplicated in the order given; 400 naming each bad field. */
  static List<String> validate(ClientFields body) {
    var errors = new LinkedHashMap<String, String>();
    var name = body.name();
    if (name == null || name.isBlank()) {
      errors.put("name", "is required");
    } else if (name.codePointCount(0, name.length()) > MAX_NAME) {
      errors.put("name", "must be at most " + MAX_NAME + " characters");
    }
    var scopes = new LinkedHashSet<String>();
    if (body.scopes() == null || body.scopes().isEmpty()) {
      errors.put("scopes", "must name at least one of " + SCOPES);
    } else {
      for (int i = 0; i < body.scopes().size(); i++) {
        var scope = body.scopes().get(i);
        if (scope == null || !SCOPES.contains(scope)) {
          errors.put("scopes[" + i + "]", "must be one of " + SCOPES);
        }
        scopes.add(scope);
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return List.copyOf(scopes);
  }
}
