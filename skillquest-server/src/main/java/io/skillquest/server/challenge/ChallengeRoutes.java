package io.skillquest.server.challenge;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.server.http.AdminWrites;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;

/** /api/v1/challenges: the catalogue, readable by anyone, written by admins. */
public final class ChallengeRoutes implements EndpointGroup {
  private final ChallengeDao challenges;
  private final ObjectMapper json;

  public ChallengeRoutes(Services services) {
    this.challenges = new ChallengeDao(services.jdbi());
    this.json = services.json();
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
    var difficulty = ChallengeValidator.difficultyFilter(Params.query(ctx, "difficulty"));
    var tag = ChallengeValidator.tagFilter(Params.query(ctx, "tag"));
    int limit = Params.queryInt(ctx, "limit", 20, 1, 100);
    int offset = Params.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    boolean admin = Auth.isAdmin(ctx);
    var page = challenges.page(admin, difficulty, tag, limit, offset);
    ctx.json(
        new ChallengePage(
            page.items().stream().map(c -> c.forViewer(admin)).toList(),
            page.total(),
            page.limit(),
            page.offset()));
  }

  void show(Context ctx) {
    long id = Params.id(ctx, "id");
    boolean admin = Auth.isAdmin(ctx);
    ctx.json(
        challenges
            .find(id, admin)
            .orElseThrow(() -> AdminWrites.notFound("challenge", id))
            .forViewer(admin));
  }

  void create(Context ctx) {
    var fields = Bodies.json(ctx, ChallengeFields.class);
    var created =
        challenges.insert(ChallengeValidator.forCreate(fields), Auth.principal(ctx).userId());
    AdminWrites.created(ctx, "challenge", created.id(), created);
  }

  void update(Context ctx) throws Exception {
    long id = Params.id(ctx, "id");
    var body = Bodies.patch(ctx, ChallengeFields.class, json);
    // the quiz rules depend on what the challenge already is (a switch to quiz needs questions)
    var existing =
        challenges.find(id, true).orElseThrow(() -> AdminWrites.notFound("challenge", id));
    var changes = ChallengeValidator.forUpdate(body.fields(), body.present(), existing);
    AdminWrites.updated(ctx, "challenge", id, challenges.update(id, changes));
  }

  void remove(Context ctx) {
    long id = Params.id(ctx, "id");
    AdminWrites.deleted(ctx, "challenge", id, challenges.delete(id));
  }
}
