package io.skillquest.server.user;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.core.streak.Streaks;
import io.skillquest.core.xp.Level;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;
import io.skillquest.server.leaderboard.Leaderboard;
import io.skillquest.server.leaderboard.PeriodLeaderboard;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** /api/v1/users/me: the caller's earned badges and progress. */
public final class UserRoutes implements EndpointGroup {
  private final ProgressDao me;
  private final Leaderboard leaderboard;
  private final Clock clock;
  private final FreezeRule freezeRule;
  private final PeriodLeaderboard periods;

  public UserRoutes(Services services, Leaderboard leaderboard, PeriodLeaderboard periods) {
    this.me = new ProgressDao(services.jdbi());
    this.leaderboard = leaderboard;
    this.periods = periods;
    this.clock = services.clock();
    this.freezeRule = services.config().streaks().freezeRule();
  }

  @Override
  public void addEndpoints() {
    get("badges", this::badges, Role.USER);
    get("progress", this::progress, Role.USER);
    get("rank-history", this::rankHistory, Role.USER);
  }

  /** The caller's final rank and XP in past weeks or months, newest first. */
  void rankHistory(Context ctx) {
    var raw = Params.query(ctx, "period");
    Period period;
    try {
      period = Period.parse(raw == null || raw.isEmpty() ? "week" : raw);
    } catch (IllegalArgumentException e) {
      period = null;
    }
    if (period != Period.WEEK && period != Period.MONTH) {
      throw Problem.invalidField("period", "must be week or month");
    }
    int limit = Params.queryInt(ctx, "limit", 12, 1, 100);
    ctx.json(periods.history(Auth.principal(ctx).userId(), period, limit));
  }

  void badges(Context ctx) {
    ctx.json(me.badges(Auth.principal(ctx).userId()));
  }

  void progress(Context ctx) {
    long userId = Auth.principal(ctx).userId();
    var snapshot =
        me.snapshot(userId).orElseThrow(() -> Problem.notFound("no such user: " + userId));
    // the database read is over (connection returned) before Redis is asked for the ranks
    ctx.json(progress(snapshot, leaderboard.rank(userId), periods.currentWeekRank(userId)));
  }

  private Progress progress(ProgressDao.Snapshot snapshot, long rank, Long weekRank) {
    var s = snapshot.summary();
    var level = Level.of(s.totalXp());
    // the rule consecutive_days badges are judged by: a frozen day bridges, never counts
    var streaks = Streaks.of(snapshot.passedDays(), today(s.timeZone()), freezeRule);
    var badges =
        snapshot.badges().stream()
            .map(b -> new Progress.BadgeSummary(b.id(), b.name(), b.iconUrl(), b.awardedAt()))
            .toList();
    return new Progress(
        s.totalXp(),
        level.level(),
        level.nextLevelXp(),
        level.xpToNextLevel(),
        rank,
        weekRank,
        streaks.current(),
        streaks.longest(),
        streaks.freezes(),
        badges,
        new Progress.AttemptCounts(s.started(), s.submitted(), s.passed(), s.failed()));
  }

  private LocalDate today(String timeZone) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      zone = ZoneOffset.UTC;
    }
    return LocalDate.now(clock.withZone(zone));
  }
}
