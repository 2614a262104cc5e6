package io.skillquest.server.badge;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.server.http.AdminWrites;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;

/** /api/v1/badges: readable by anyone, written by admins. */
public final class BadgeRoutes implements EndpointGroup {
  private final BadgeDao badges;
  private final BadgeValidator validator;
  private final ObjectMapper json;

  public BadgeRoutes(Services services) {
    this.badges = new BadgeDao(services.jdbi());
    this.json = services.json();
    this.validator = new BadgeValidator(json);
  }

  @Override
  public void addEndpoints() {
    get(this::list, Role.ANYONE);
    post(this::create, Role.ADMIN);
    path(
        "{id}",
        () -> {
          get(this::show, Role.ANYONE);
          patch(this::update, Role.ADMIN);
          delete(this::remove, Role.ADMIN);
        });
  }

  void list(Context ctx) {
    ctx.json(badges.list());
  }

  void show(Context ctx) {
    long id = Params.id(ctx, "id");
    ctx.json(badges.find(id).orElseThrow(() -> AdminWrites.notFound("badge", id)));
  }

  void create(Context ctx) {
    var changes = validator.forCreate(Bodies.json(ctx, BadgeFields.class));
    var created = badges.insert(changes);
    AdminWrites.created(ctx, "badge", created.id(), created);
  }

  void update(Context ctx) throws Exception {
    long id = Params.id(ctx, "id");
    var body = Bodies.patch(ctx, BadgeFields.class, json);
    var changes = validator.forUpdate(body.fields(), body.present());
    AdminWrites.updated(ctx, "badge", id, badges.update(id, changes));
  }

  void remove(Context ctx) {
    long id = Params.id(ctx, "id");
    AdminWrites.deleted(ctx, "badge", id, badges.delete(id));
  }
}
