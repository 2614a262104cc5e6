package io.skillquest.server.leaderboard;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;

/** /api/v1/leaderboard: the top of the board for anyone, and the caller's own standing. */
public final class LeaderboardRoutes implements EndpointGroup {
  private final Leaderboard leaderboard;

  public LeaderboardRoutes(Leaderboard leaderboard) {
    this.leaderboard = leaderboard;
  }

  @Override
  public void addEndpoints() {
    get(this::top, Role.ANYONE);
    get("me", this::me, Role.USER);
  }

  void top(Context ctx) {
    int limit = Params.queryInt(ctx, "limit", 10, 1, 100);
    int offset = Params.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE - 100);
    Ranking ranking = ranking(ctx);
    ctx.json(leaderboard.page(limit, offset, ranking));
  }

  void me(Context ctx) {
    int around = Params.queryInt(ctx, "around", 0, 0, 50);
    Ranking ranking = ranking(ctx);
    ctx.json(leaderboard.standing(Auth.principal(ctx).userId(), around, ranking));
  }

  /** {@code ranking=ordinal|competition}, ordinal when absent; 400 naming the parameter else. */
  static Ranking ranking(Context ctx) {
    var raw = ctx.queryParam("ranking");
    try {
      return Ranking.parse(raw == null || raw.isEmpty() ? null : raw);
    } catch (IllegalArgumentException e) {
      throw Problem.invalidField("ranking", "must be one of ordinal, competition");
    }
  }
}
