package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import io.skillquest.store.leaderboard.PeriodFinals;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Day, week and month boards in a non-UTC zone: live, final, and their parameters. */
class PeriodLeaderboardTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @RegisterExtension
  static final TestServer server =
      TestServer.builder()
          .env("SKILLQUEST_LEADERBOARD_ZONE", "America/New_York")
          .env("SKILLQUEST_LEADERBOARD_RETENTION", "day=5")
          // the in-process worker must finalise nothing: the tests finalise windows themselves
          .env("SKILLQUEST_LEADERBOARD_GRACE", "50000h")
          .extension();

  static long challenge;

  @BeforeAll
  static void start() {
    challenge = Fixtures.publishedChallenge(server, 200);
  }

  private static void processed(long userId, int xp, Instant at) {
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded,"
                        + " started_at, submitted_at, processed_at) VALUES (?, ?, 'passed', 90, ?,"
                        + " ?, ?, ?)",
                    userId,
                    challenge,
                    xp,
                    java.sql.Timestamp.from(at),
                    java.sql.Timestamp.from(at),
                    java.sql.Timestamp.from(at)));
  }

  private static List<Long> field(JsonNode rows, String name) {
    return StreamSupport.stream(rows.spliterator(), false).map(e -> e.path(name).asLong()).toList();
  }

  @Test
  void anAwardRaisesTheCurrentDayWeekAndMonthBoards() {
    var eve = server.registerAndLogin("eve_p");
    var started = server.post("/attempts", Map.of("challenge_id", challenge), eve.access());
    long id = started.get("id").asLong();
    server.post("/attempts/" + id + "/submit", Map.of("score", 80), eve.access());
    TestServer.await(
        "processed",
        Duration.ofSeconds(20),
        () -> server.get("/attempts/" + id, eve.access()).get("status").asText().equals("passed"));
    for (var period : List.of("day", "week", "month")) {
      TestServer.await(
          period + " board",
          Duration.ofSeconds(10),
          () ->
              field(server.get("/leaderboard?period=" + period, null).body(), "user_id")
                  .contains(eve.userId()));
      var me = server.get("/leaderboard/me?period=" + period, eve.access());
      assertThat(me.status()).as(me.toString()).isEqualTo(200);
      assertThat(me.get("xp").asLong()).isEqualTo(160);
      assertThat(me.get("total_xp").asLong()).isEqualTo(160);
      assertThat(me.get("level").asInt()).isEqualTo(2);
      assertThat(me.get("rank").asLong()).isPositive();
    }
    var row =
        StreamSupport.stream(
                server.get("/leaderboard?period=week", null).body().spliterator(), false)
            .filter(r -> r.path("user_id").asLong() == eve.userId())
            .findFirst()
            .orElseThrow();
    assertThat(row.path("username").asText()).isEqualTo("eve_p");
    assertThat(row.path("xp").asLong()).isEqualTo(160);
    assertThat(row.has("rank")).isTrue();

    var idle = server.registerAndLogin("idle_p");
    var unranked = server.get("/leaderboard/me?period=day", idle.access());
    assertThat(unranked.status()).isEqualTo(200);
    assertThat(unranked.get("rank").isNull()).as(unranked.toString()).isTrue();
    assertThat(unranked.get("xp").asLong()).isZero();
  }

  @Test
  void aPastDayIsLiveUntilFinalisedThenServedFromItsFinalStandingsInTheSameOrder() {
    var late = server.registerAndLogin("late_p");
    var early = server.registerAndLogin("early_p");
    var next = server.registerAndLogin("next_p");
    LocalDate yesterday = LocalDate.now(NEW_YORK).minusDays(1);
    Instant lastSecond = yesterday.atTime(23, 59, 59).atZone(NEW_YORK).toInstant();
    processed(early.userId(), 70, lastSecond.minusMillis(5));
    processed(late.userId(), 70, lastSecond); // equal sum, reached 5 ms later
    processed(next.userId(), 500, yesterday.plusDays(1).atStartOfDay(NEW_YORK).toInstant());
    String path = "/leaderboard?period=day&at=" + yesterday;

    var live = server.get(path, null);
    assertThat(live.status()).as(live.toString()).isEqualTo(200);
    assertThat(field(live.body(), "user_id"))
        .as("midnight belongs to the next day")
        .containsExactly(early.userId(), late.userId());
    assertThat(field(live.body(), "xp")).containsExactly(70L, 70L);
    assertThat(field(server.get(path + "&ranking=competition", null).body(), "rank"))
        .containsExactly(1L, 1L);

    var w = PeriodWindow.containing(Period.DAY, yesterday, NEW_YORK);
    assertThat(new PeriodFinals(server.jdbi(), server.services().config().periods()).finalise(w))
        .isTrue();
    var fin = server.get(path, null);
    assertThat(fin.body()).isEqualTo(live.body());
    assertThat(field(server.get(path + "&ranking=competition", null).body(), "rank"))
        .containsExactly(1L, 1L);
    var me = server.get("/leaderboard/me?period=day&around=1&at=" + yesterday, late.access());
    assertThat(me.get("rank").asLong()).isEqualTo(2);
    assertThat(field(me.get("neighbours"), "user_id"))
        .containsExactly(early.userId(), late.userId());
  }

  @Test
  void onceFinalisedAWindowIsServedFromItsFinalRowsEvenWhenItsAttemptsAreGone() throws Exception {
    var kept = server.registerAndLogin("kept_p");
    LocalDate day = LocalDate.now(NEW_YORK).minusDays(3);
    processed(kept.userId(), 40, day.atTime(12, 0).atZone(NEW_YORK).toInstant());
    String path = "/leaderboard?period=day&at=" + day;
    assertThat(field(server.get(path, null).body(), "user_id")).containsExactly(kept.userId());

    var w = PeriodWindow.containing(Period.DAY, day, NEW_YORK);
    assertThat(new PeriodFinals(server.jdbi(), server.services().config().periods()).finalise(w))
        .isTrue();
    server
        .jdbi()
        .useHandle(h -> h.execute("DELETE FROM attempts WHERE user_id = ?", kept.userId()));
    server.redis().del(server.keys().periodBoard(w.id()));
    // a read that found the window not yet final may be trusted for a second; then it asks again
    Thread.sleep(PeriodLeaderboard.NOT_FINAL_NANOS / 1_000_000 + 100);
    var fin = server.get(path, null);
    assertThat(field(fin.body(), "user_id")).as(fin.toString()).containsExactly(kept.userId());
    assertThat(field(fin.body(), "xp")).containsExactly(40L);
  }

  @Test
  void periodRowsCarryAllTimeTotalsFromTheBoardOrFromSqlForAUserOffIt() {
    var on = server.registerAndLogin("on_board_p");
    var off = server.registerAndLogin("off_board_p");
    LocalDate day = LocalDate.now(NEW_YORK).minusDays(2);
    Instant noon = day.atTime(12, 0).atZone(NEW_YORK).toInstant();
    processed(on.userId(), 90, noon);
    processed(off.userId(), 60, noon.plusSeconds(1));
    // all-time totals as an award leaves them, in the table and on the board
    server
        .jdbi()
        .useHandle(
            h -> {
              h.execute("UPDATE users SET total_xp = 250 WHERE id = ?", on.userId());
              h.execute("UPDATE users SET total_xp = 300 WHERE id = ?", off.userId());
            });
    var store = server.services().leaderboard();
    store.raise(new Standing(on.userId(), 250, noon));
    store.raise(new Standing(off.userId(), 300, noon));
    // the board is being rebuilt for this one: not on it, as after a restart of Redis
    String member = server.redis().hget(server.keys().leaderboardMembers(), "" + off.userId());
    server.redis().zrem(server.keys().leaderboard(), member);
    var w = PeriodWindow.containing(Period.DAY, day, NEW_YORK);
    String path = "/leaderboard?period=day&at=" + day;
    server.get(path, null); // starts the window's rebuild from attempts
    TestServer.await(
        "the day's live board",
        Duration.ofSeconds(10),
        () -> server.redis().zcard(server.keys().periodBoard(w.id())) == 2);

    var page = server.get(path, null).body();
    assertThat(field(page, "user_id")).containsExactly(on.userId(), off.userId());
    assertThat(field(page, "xp")).containsExactly(90L, 60L);
    assertThat(field(page, "total_xp")).containsExactly(250L, 300L);
    assertThat(field(page, "level")).containsExactly(2L, 2L);
    assertThat(page.get(1).path("username").asText()).isEqualTo("off_board_p");
    for (var who : List.of(on, off)) {
      var me = server.get("/leaderboard/me?period=day&at=" + day, who.access());
      var around = server.get("/leaderboard/me?period=day&around=1&at=" + day, who.access());
      assertThat(field(me.get("neighbours"), "total_xp")).containsExactly(who == on ? 250L : 300L);
      assertThat(field(around.get("neighbours"), "total_xp")).containsExactly(250L, 300L);
      assertThat(me.get("total_xp").asLong()).isEqualTo(who == on ? 250 : 300);
    }
  }

  @Test
  void aLiveWindowNobodyEarnedInIsReadFromSqlOnlyUntilARebuildFindsItEmpty() {
    var quiet = server.registerAndLogin("quiet_p");
    String at = "period=day&at=" + LocalDate.now(NEW_YORK).minusDays(4); // no other test's day
    var fallbacks = new AtomicInteger();
    var statements = server.jdbi().getConfig(SqlStatements.class);
    SqlLogger previous = statements.getSqlLogger();
    statements.setSqlLogger(
        new SqlLogger() {
          @Override
          public void logAfterExecution(StatementContext context) {
            if (context.getRenderedSql().contains("rank() OVER (ORDER BY s.xp DESC)")) {
              fallbacks.incrementAndGet();
            }
          }
        });
    int reads = 200;
    try {
      for (int i = 0; i < reads / 2; i++) {
        var me = server.get("/leaderboard/me?" + at, quiet.access());
        assertThat(me.get("rank").isNull()).as(me.toString()).isTrue();
        assertThat(me.get("xp").asLong()).isZero();
        assertThat(server.get("/leaderboard?" + at, null).body()).isEmpty();
      }
    } finally {
      statements.setSqlLogger(previous);
    }
    // the first reads, and those right after each lapse of the mark, until a rebuild marks it again
    assertThat(fallbacks.get()).as("reads answered from SQL").isPositive().isLessThan(reads / 10);
  }

  @Test
  void badPeriodParametersAreA400NamingTheParameter() {
    var who = server.registerAndLogin("params_p");
    LocalDate today = LocalDate.now(NEW_YORK);
    for (var c :
        List.of(
            List.of("period=year", "period"),
            List.of("period=day&at=30-11-2026", "at"),
            List.of("at=" + today, "at"),
            List.of("period=day&at=" + today.plusDays(2), "at"),
            List.of("period=day&at=" + today.minusDays(10), "at"))) {
      for (var route : List.of("/leaderboard?", "/leaderboard/me?")) {
        var r = server.get(route + c.get(0), who.access());
        assertThat(r.status()).as(route + c.get(0) + " -> " + r).isEqualTo(400);
        assertThat(r.get("errors").has(c.get(1))).as(r.toString()).isTrue();
      }
    }
    assertThat(server.get("/leaderboard?period=day&at=" + today.minusDays(5), null).status())
        .as("the fifth finished day is still kept")
        .isEqualTo(200);
  }

  @Test
  void rankHistoryListsFinalWeeksNewestFirstAndProgressShowsThisWeeksRank() {
    var hal = server.registerAndLogin("hal_p");
    var ivy = server.registerAndLogin("ivy_p");
    var thisWeek = PeriodWindow.containing(Period.WEEK, LocalDate.now(NEW_YORK), NEW_YORK);
    var lastWeek = thisWeek.previous();
    var weekBefore = lastWeek.previous();
    processed(hal.userId(), 30, weekBefore.start().plusSeconds(3600));
    processed(ivy.userId(), 90, weekBefore.start().plusSeconds(7200));
    processed(hal.userId(), 120, lastWeek.start().plusSeconds(3600));
    processed(ivy.userId(), 40, lastWeek.start().plusSeconds(7200));
    var finals = new PeriodFinals(server.jdbi(), server.services().config().periods());
    assertThat(finals.finalise(weekBefore)).isTrue();
    assertThat(finals.finalise(lastWeek)).isTrue();

    var r = server.get("/users/me/rank-history?period=week", hal.access());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(field(r.body(), "rank")).containsExactly(1L, 2L);
    assertThat(field(r.body(), "xp")).containsExactly(120L, 30L);
    assertThat(r.body().get(0).path("window").asText()).isEqualTo(lastWeek.id());
    assertThat(r.body().get(1).path("first_day").asText())
        .isEqualTo(weekBefore.firstDay().toString());
    assertThat(r.body().get(0).path("ranked").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(server.get("/users/me/rank-history?period=week&limit=1", hal.access()).body())
        .hasSize(1);
    assertThat(server.get("/users/me/rank-history?period=month", hal.access()).body()).isEmpty();
    var bad = server.get("/users/me/rank-history?period=day", hal.access());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.get("errors").has("period")).isTrue();
    assertThat(server.get("/users/me/rank-history?limit=0", hal.access()).status()).isEqualTo(400);
    assertThat(server.get("/users/me/rank-history", null).status()).isEqualTo(401);

    var progress = server.get("/users/me/progress", hal.access());
    assertThat(progress.get("week_rank").isNull()).as("nothing earned this week").isTrue();
    // that read may have started a rebuild of this week's board from attempts: one still reading
    // them would put back, after the deletion below, a board without hal's new attempt
    String board = server.keys().periodBoard(thisWeek.id());
    TestServer.await(
        "no rebuild of this week's board in flight",
        Duration.ofSeconds(10),
        () -> !server.redis().exists(board + ":rebuild-lock"));
    processed(hal.userId(), 10, Instant.now().minusSeconds(1));
    server.redis().del(board); // rebuilt from attempts
    TestServer.await(
        "this week's rank",
        Duration.ofSeconds(10),
        () -> server.get("/users/me/progress", hal.access()).get("week_rank").asLong() >= 1);
  }
}
