package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Equal XP is ordered by who reached it first, to the millisecond, the same in Redis and SQL. */
class LeaderboardTiesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @Test
  void redisTheSqlFallbackAndARebuildAgreeOnTiesFiveMillisecondsApartAndWithinOne() {
    var lateA = server.registerAndLogin("late_a"); // lowest id, reached 700 last
    var sameMsLate = server.registerAndLogin("same_ms_late");
    var sameMsEarly = server.registerAndLogin("same_ms_early");
    var early = server.registerAndLogin("early_z");
    setXp(early.userId(), "2026-11-30 10:00:00.120999+00");
    setXp(lateA.userId(), "2026-11-30 10:00:00.125000+00"); // 5 ms after early
    // the same millisecond, microseconds in the opposite order of the ids: the lower id wins, as
    // Redis holds both at .130
    setXp(sameMsLate.userId(), "2026-11-30 10:00:00.130900+00");
    setXp(sameMsEarly.userId(), "2026-11-30 10:00:00.130100+00");
    var expected =
        List.of(early.userId(), lateA.userId(), sameMsLate.userId(), sameMsEarly.userId());

    var store = server.services().leaderboard();
    store.rebuild(); // in place, over the registrations' places
    assertThat(top4FromHttp()).as("Redis, rebuilt in place").isEqualTo(expected);
    assertThat(top4FromSql()).as("the SQL fallback").isEqualTo(expected);

    server.redis().del(server.keys().leaderboard());
    assertThat(top4FromSql()).as("the SQL fallback").isEqualTo(expected);
    store.ensurePresent();
    TestServer.await("no rebuild in flight", Duration.ofSeconds(10), () -> !store.rebuilding());
    assertThat(server.redis().exists(server.keys().leaderboard())).isTrue();
    assertThat(top4FromHttp()).as("Redis, rebuilt aside").isEqualTo(expected);
    assertThat(server.get("/leaderboard/me", lateA.access()).get("rank").asLong()).isEqualTo(2);
    assertThat(new LeaderboardDao(server.jdbi()).rank(sameMsEarly.userId())).isEqualTo(4);
  }

  private static void setXp(long userId, String reachedAt) {
    server
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE users SET total_xp = 700, level = 3, xp_reached_at = ?::timestamptz"
                        + " WHERE id = ?",
                    reachedAt,
                    userId));
  }

  private static List<Long> top4FromHttp() {
    var r = server.get("/leaderboard?limit=4", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return StreamSupport.stream(r.body().spliterator(), false)
        .map(e -> e.path("user_id").asLong())
        .toList();
  }

  private static List<Long> top4FromSql() {
    return new LeaderboardDao(server.jdbi())
        .page(4, 0).stream().map(LeaderboardDao.Ranked::userId).toList();
  }
}
