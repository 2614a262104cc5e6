package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XP is set directly in the database and the sorted set deleted, so every test also exercises the
 * rebuild path: the board must never be served empty while users exist.
 */
class LeaderboardRoutesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static TestServer.Tokens top;
  static TestServer.Tokens early;
  static TestServer.Tokens late;
  static TestServer.Tokens zero;
  static long adminId;

  @BeforeAll
  static void start() {
    zero = server.registerAndLogin("zero");
    late = server.registerAndLogin("late");
    early = server.registerAndLogin("early");
    top = server.registerAndLogin("top");
    adminId =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT id FROM users WHERE username = 'admin'")
                        .mapTo(long.class)
                        .one());
    setXp(top, 1000, 60);
    setXp(early, 500, 30); // same XP as late, reached 20 minutes earlier: ranked first
    setXp(late, 500, 10);
    server.redis().del(server.keys().leaderboard());
  }

  private static void setXp(TestServer.Tokens who, long xp, int minutesAgo) {
    server
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE users SET total_xp = :xp, level = :level,"
                            + " xp_reached_at = now() - make_interval(mins => :ago) WHERE id = :id")
                    .bind("xp", xp)
                    .bind("level", io.skillquest.core.xp.Level.levelFor(xp))
                    .bind("ago", minutesAgo)
                    .bind("id", who.userId())
                    .execute());
  }

  private static List<Long> userIds(JsonNode entries) {
    return StreamSupport.stream(entries.spliterator(), false)
        .map(e -> e.path("user_id").asLong())
        .toList();
  }

  private static List<Long> ranks(JsonNode entries) {
    return StreamSupport.stream(entries.spliterator(), false)
        .map(e -> e.path("rank").asLong())
        .toList();
  }

  @Test
  void ordersByXpThenWhoReachedItFirstWithZeroXpUsersLast() {
    var r = server.get("/leaderboard", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.body().isArray()).isTrue();
    assertThat(userIds(r.body())).hasSize(5);
    assertThat(userIds(r.body()).subList(0, 3))
        .containsExactly(top.userId(), early.userId(), late.userId());
    assertThat(userIds(r.body()).subList(3, 5)).containsExactlyInAnyOrder(zero.userId(), adminId);
    assertThat(ranks(r.body())).containsExactly(1L, 2L, 3L, 4L, 5L);

    var first = r.body().get(0);
    assertThat(first.path("username").asText()).isEqualTo("top");
    assertThat(first.path("total_xp").asLong()).isEqualTo(1000);
    assertThat(first.path("xp").asLong())
        .as("the all-time board ranks by total XP")
        .isEqualTo(1000);
    assertThat(first.path("level").asInt()).isEqualTo(4);
    assertThat(r.body().get(1).path("total_xp").asLong()).isEqualTo(500);
    assertThat(r.body().get(1).path("level").asInt()).isEqualTo(3);
    assertThat(r.body().get(4).path("total_xp").asLong()).isZero();
    assertThat(r.body().get(4).path("level").asInt()).isEqualTo(1);
  }

  @Test
  void pagesKeepAbsoluteRanks() {
    var page = server.get("/leaderboard?limit=2&offset=1", null);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(userIds(page.body())).containsExactly(early.userId(), late.userId());
    assertThat(ranks(page.body())).containsExactly(2L, 3L);
    assertThat(server.get("/leaderboard?limit=1", null).body()).hasSize(1);
    assertThat(server.get("/leaderboard?offset=50", null).body()).isEmpty();
    assertThat(server.get("/leaderboard?limit=100", null).body()).hasSize(5);
  }

  @Test
  void rejectsBadPagingParameters() {
    for (var query : List.of("limit=0", "limit=101", "limit=x", "offset=-1", "offset=1.5")) {
      var r = server.get("/leaderboard?" + query, null);
      assertThat(r.status()).as(query + " -> " + r).isEqualTo(400);
      assertThat(r.get("errors").size()).isEqualTo(1);
    }
    assertThat(server.get("/leaderboard/me?around=51", top.access()).status()).isEqualTo(400);
    assertThat(server.get("/leaderboard/me?around=-1", top.access()).status()).isEqualTo(400);
  }

  @Test
  void survivesLosingTheSortedSet() {
    var before = server.get("/leaderboard", null).body();
    server.redis().del(server.keys().leaderboard());
    // answered from SQL at once while the set is rebuilt in the background, in exactly Redis' order
    // (the two zero-XP users included: ties are exact to the millisecond in both)
    var after = server.get("/leaderboard", null);
    assertThat(after.status()).isEqualTo(200);
    assertThat(userIds(before)).as("before %s", before).hasSize(5);
    assertThat(userIds(after.body()))
        .as("after %s, before %s", after, before)
        .isEqualTo(userIds(before));
    assertThat(ranks(after.body())).containsExactly(1L, 2L, 3L, 4L, 5L);
    TestServer.await(
        "the sorted set rebuilt",
        java.time.Duration.ofSeconds(10),
        () -> server.redis().zcard(server.keys().leaderboard()) == 5);

    server.redis().del(server.keys().leaderboard());
    var me = server.get("/leaderboard/me", late.access());
    assertThat(me.get("rank").asLong()).isEqualTo(3);
    TestServer.await(
        "the sorted set rebuilt again",
        java.time.Duration.ofSeconds(10),
        () -> server.redis().zcard(server.keys().leaderboard()) == 5);
    assertThat(server.get("/leaderboard/me", late.access()).get("rank").asLong())
        .as("now from Redis")
        .isEqualTo(3);
  }

  @Test
  void myStandingShowsNeighboursInRankOrder() {
    var me = server.get("/leaderboard/me?around=1", early.access());
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.get("rank").asLong()).isEqualTo(2);
    assertThat(me.get("user_id").asLong()).isEqualTo(early.userId());
    assertThat(me.get("username").asText()).isEqualTo("early");
    assertThat(me.get("total_xp").asLong()).isEqualTo(500);
    assertThat(me.get("level").asInt()).isEqualTo(3);
    assertThat(userIds(me.get("neighbours")))
        .containsExactly(top.userId(), early.userId(), late.userId());
    assertThat(ranks(me.get("neighbours"))).containsExactly(1L, 2L, 3L);

    var alone = server.get("/leaderboard/me", early.access());
    assertThat(userIds(alone.get("neighbours"))).containsExactly(early.userId());

    var atTheTop = server.get("/leaderboard/me?around=2", top.access());
    assertThat(ranks(atTheTop.get("neighbours"))).containsExactly(1L, 2L, 3L);

    var atTheBottom = server.get("/leaderboard/me?around=50", zero.access());
    assertThat(atTheBottom.get("neighbours")).hasSize(5);
    assertThat(atTheBottom.get("rank").asLong()).isBetween(4L, 5L);

    assertThat(server.get("/leaderboard/me", null).status()).isEqualTo(401);
  }

  @Test
  void aUserMissingFromTheSetIsRankedFromTheDatabaseUntilUpkeepAddsThem() {
    var store = server.services().leaderboard();
    // the class starts with the board deleted: build it, and let no other test's rebuild run on
    store.ensurePresent();
    TestServer.await("no rebuild in flight", Duration.ofSeconds(10), () -> !store.rebuilding());
    var newcomer = server.registerAndLogin("newcomer");
    var key = server.keys().leaderboard();
    var member =
        server.redis().hget(server.keys().leaderboardMembers(), Long.toString(newcomer.userId()));
    try {
      server.redis().zrem(key, member);
      assertThat(server.redis().zscore(key, member)).as("removed").isNull();
      var me = server.get("/leaderboard/me", newcomer.access());
      assertThat(me.status()).as(me.toString()).isEqualTo(200);
      assertThat(me.get("total_xp").asLong()).isZero();
      assertThat(me.get("rank").asLong()).isGreaterThan(3);
      assertThat(server.redis().zscore(key, member)).as("a read never writes the board").isNull();
      store.upkeep();
      var score = server.redis().zscore(key, member);
      assertThat(score).as("the worker's upkeep puts them back").isNotNull();
      assertThat(score).isZero();
    } finally {
      server.jdbi().useHandle(h -> h.execute("DELETE FROM users WHERE id = ?", newcomer.userId()));
      server.redis().zrem(key, member);
      server.redis().hdel(server.keys().leaderboardMembers(), Long.toString(newcomer.userId()));
    }
  }
}
