package io.skillquest.server.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Competition ranks (1, 1, 3, ...) with ties at the top, in the middle and at the bottom. */
class LeaderboardCompetitionTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  /** XP of the users in board order; the admin account is one more 0-XP user at the bottom. */
  static final long[] XP = {900, 900, 500, 300, 300, 100, 0, 0};

  static final List<TestServer.Tokens> users = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (int i = 0; i < XP.length; i++) {
      users.add(server.registerAndLogin("comp" + i));
    }
    for (int i = 0; i < XP.length; i++) {
      long xp = XP[i];
      long id = users.get(i).userId();
      int order = i;
      // the admin registered first, so every 0-XP user here reached 0 after it
      server
          .jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "UPDATE users SET total_xp = ?, level = ?,"
                          + " xp_reached_at = now() - make_interval(mins => ?) WHERE id = ?",
                      xp,
                      io.skillquest.core.xp.Level.levelFor(xp),
                      xp == 0 ? 0 : 100 - order,
                      id));
    }
    var store = server.services().leaderboard();
    store.rebuild();
    TestServer.await("no rebuild in flight", Duration.ofSeconds(10), () -> !store.rebuilding());
  }

  private static List<Long> ranks(JsonNode entries) {
    return StreamSupport.stream(entries.spliterator(), false)
        .map(e -> e.path("rank").asLong())
        .toList();
  }

  @Test
  void equalXpSharesARankAndTheNextRankSkips() {
    var ordinal = server.get("/leaderboard?limit=20", null);
    assertThat(ranks(ordinal.body())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(ranks(server.get("/leaderboard?limit=20&ranking=ordinal", null).body()))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

    var competition = server.get("/leaderboard?limit=20&ranking=competition", null);
    assertThat(competition.status()).as(competition.toString()).isEqualTo(200);
    assertThat(ranks(competition.body())).containsExactly(1L, 1L, 3L, 4L, 4L, 6L, 7L, 7L, 7L);
    assertThat(competition.body().get(0).path("user_id").asLong())
        .as("order within a tie stays first-reached first")
        .isEqualTo(users.get(0).userId());
  }

  @Test
  void aPageStartingInsideATieCountsTheUsersAboveIt() {
    var middle = server.get("/leaderboard?limit=2&offset=4&ranking=competition", null);
    assertThat(ranks(middle.body())).containsExactly(4L, 6L);
    var bottom = server.get("/leaderboard?limit=5&offset=7&ranking=competition", null);
    assertThat(ranks(bottom.body())).containsExactly(7L, 7L);
    var top = server.get("/leaderboard?limit=1&offset=1&ranking=competition", null);
    assertThat(ranks(top.body())).containsExactly(1L);
  }

  @Test
  void myStandingUsesTheRankingAskedFor() {
    var e = users.get(4);
    assertThat(server.get("/leaderboard/me?ranking=competition", e.access()).get("rank").asLong())
        .isEqualTo(4);
    assertThat(server.get("/leaderboard/me", e.access()).get("rank").asLong()).isEqualTo(5);
    var around = server.get("/leaderboard/me?around=1&ranking=competition", e.access());
    assertThat(around.get("rank").asLong()).isEqualTo(4);
    assertThat(ranks(around.get("neighbours"))).containsExactly(4L, 4L, 6L);
    var second = users.get(1);
    assertThat(
            server.get("/leaderboard/me?ranking=competition", second.access()).get("rank").asLong())
        .isEqualTo(1);
    var last = users.get(7);
    assertThat(
            server.get("/leaderboard/me?ranking=competition", last.access()).get("rank").asLong())
        .isEqualTo(7);
  }

  @Test
  void theSqlFallbackGivesTheSameRanks() {
    var dao = new LeaderboardDao(server.jdbi());
    assertThat(dao.page(20, 0, Ranking.COMPETITION))
        .extracting(LeaderboardDao.Ranked::rank)
        .containsExactly(1L, 1L, 3L, 4L, 4L, 6L, 7L, 7L, 7L);
    assertThat(dao.page(2, 4, Ranking.COMPETITION))
        .extracting(LeaderboardDao.Ranked::rank)
        .containsExactly(4L, 6L);
    assertThat(dao.around(users.get(4).userId(), 1, Ranking.COMPETITION))
        .extracting(LeaderboardDao.Ranked::rank)
        .containsExactly(4L, 4L, 6L);
    assertThat(dao.rank(users.get(4).userId(), Ranking.COMPETITION)).isEqualTo(4);
    assertThat(dao.rank(users.get(1).userId(), Ranking.COMPETITION)).isEqualTo(1);
    assertThat(dao.rank(users.get(7).userId(), Ranking.COMPETITION)).isEqualTo(7);
    assertThat(dao.rank(users.get(4).userId(), Ranking.ORDINAL)).isEqualTo(5);
  }

  @Test
  void anUnknownRankingIsA400NamingTheParameter() {
    for (var path : List.of("/leaderboard?ranking=dense", "/leaderboard/me?ranking=COMPETITION")) {
      var r = server.get(path, users.get(0).access());
      assertThat(r.status()).as(path + " -> " + r).isEqualTo(400);
      assertThat(r.get("errors").has("ranking")).as(r.toString()).isTrue();
      assertThat(r.get("detail").asText()).contains("ranking");
    }
  }
}
