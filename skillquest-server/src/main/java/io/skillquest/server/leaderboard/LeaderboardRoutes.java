package io.skillquest.server.leaderboard;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import io.skillquest.server.stream.Streams;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** /api/v1/leaderboard: the top of the board for anyone, and the caller's own standing. */
public final class LeaderboardRoutes implements EndpointGroup {
  private final Leaderboard leaderboard;
  private final PeriodLeaderboard periods;
  private final LeaderboardFeed feed;
  private final Streams streams;

  /**
   * The last page answered and its JSON: a hot page (the top 10 under load) is one read answering
   * many requests, serialised once.
   */
  private final AtomicReference<Answered> answered = new AtomicReference<>();

  private record Answered(List<LeaderboardEntry> page, byte[] json) {}

  public LeaderboardRoutes(
      Leaderboard leaderboard, PeriodLeaderboard periods, LeaderboardFeed feed, Streams streams) {
    this.leaderboard = leaderboard;
    this.periods = periods;
    this.feed = feed;
    this.streams = streams;
  }

  @Override
  public void addEndpoints() {
    get(this::top, Role.ANYONE);
    get("me", this::me, Role.USER);
    get("stream", this::stream, Role.ANYONE);
  }

  void top(Context ctx) {
    int limit = Params.queryInt(ctx, "limit", 10, 1, 100);
    int offset = Params.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE - 100);
    Ranking ranking = ranking(ctx);
    Period period = period(ctx);
    LocalDate at = at(ctx, period);
    var page =
        period.windowed()
            ? periods.page(periods.window(period, at), limit, offset, ranking)
            : leaderboard.page(limit, offset, ranking);
    var last = answered.get();
    // the same page object while Leaderboard reuses a read (up to 1 ms): comparing a fresh read
    // row by row would cost more than serialising it once
    if (last == null || last.page() != page) {
      last =
          new Answered(
              page,
              ctx.jsonMapper().toJsonString(page, List.class).getBytes(StandardCharsets.UTF_8));
      answered.set(last);
    }
    ctx.contentType(ContentType.APPLICATION_JSON).result(last.json());
  }

  /** The top of the board as Server-Sent Events: now, then whenever it changes. */
  void stream(Context ctx) {
    int limit = Params.queryInt(ctx, "limit", 10, 1, 100);
    var shape = new LeaderboardFeed.Shape(period(ctx), limit, ranking(ctx));
    streams.open(ctx, null, s -> feed.subscribe(shape, s), s -> feed.unsubscribe(shape, s));
  }

  void me(Context ctx) {
    int around = Params.queryInt(ctx, "around", 0, 0, 50);
    Ranking ranking = ranking(ctx);
    Period period = period(ctx);
    LocalDate at = at(ctx, period);
    long userId = Auth.principal(ctx).userId();
    if (period.windowed()) {
      ctx.json(periods.standing(periods.window(period, at), userId, around, ranking));
      return;
    }
    ctx.json(leaderboard.standing(userId, around, ranking));
  }

  /** {@code period=all|day|week|month}, all when absent; 400 naming the parameter else. */
  static Period period(Context ctx) {
    var raw = Params.query(ctx, "period");
    try {
      return Period.parse(raw == null || raw.isEmpty() ? null : raw);
    } catch (IllegalArgumentException e) {
      throw Problem.invalidField("period", "must be one of all, day, week, month");
    }
  }

  /** {@code at=YYYY-MM-DD}: the window containing that date; only with a day, week or month. */
  static LocalDate at(Context ctx, Period period) {
    var raw = Params.query(ctx, "at");
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (!period.windowed()) {
      throw Problem.invalidField("at", "needs period=day, week or month");
    }
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      throw Problem.invalidField("at", "must be a date like 2026-11-30");
    }
  }

  /** {@code ranking=ordinal|competition}, ordinal when absent; 400 naming the parameter else. */
  static Ranking ranking(Context ctx) {
    var raw = Params.query(ctx, "ranking");
    try {
      return Ranking.parse(raw == null || raw.isEmpty() ? null : raw);
    } catch (IllegalArgumentException e) {
      throw Problem.invalidField("ranking", "must be one of ordinal, competition");
    }
  }
}
