package io.skillquest.store.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.leaderboard.Standing;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's upkeep asks every few seconds which users' XP changed lately. Its pool keeps generic
 * plans, which cannot see that "lately" is a sliver of the table; the plan must still read only
 * that sliver, not walk every user.
 */
@ExtendWith(RealStores.class)
class UserStandingsTest {

  private final StoreFixture stores;

  UserStandingsTest(StoreFixture stores) {
    this.stores = stores;
  }

  @Test
  void theGenericPlanOfRecentChangesReadsThemThroughTheirIndex() {
    String plan =
        genericPlan(
            "PREPARE changed(timestamptz, bigint, int) AS "
                + UserStandings.CHANGED_SINCE
                    .replace(":afterAt", "$1")
                    .replace(":after", "$2")
                    .replace(":limit", "$3"),
            "EXPLAIN EXECUTE changed(now() - interval '1 minute', 0, 1000)");
    assertThat(plan).contains("users_xp_reached_at").doesNotContain("users_pkey");
  }

  @Test
  void theGenericPlanOfNewcomersReadsThePrimaryKeyFromTheLastCount() {
    String plan =
        genericPlan(
            "PREPARE joined(bigint, int) AS "
                + UserStandings.JOINED_AFTER.replace(":after", "$1").replace(":cap", "$2"),
            "EXPLAIN EXECUTE joined(1, 10000)");
    assertThat(plan).contains("users_pkey").doesNotContain("Seq Scan");
  }

  /**
   * The plan the worker's pool would keep for {@code prepare}, explained by {@code explain}, among
   * 20,000 users whose XP last changed a month ago.
   */
  private String genericPlan(String prepare, String explain) {
    String tag = Long.toString(System.nanoTime(), 36);
    stores.jdbi.useHandle(
        h -> {
          h.createUpdate(
                  """
                  INSERT INTO users (username, email, password_hash, xp_reached_at)
                  SELECT 'old' || i || :tag, 'old' || i || :tag || '@example.com', 'x',
                         now() - interval '30 days'
                  FROM generate_series(1, 20000) i""")
              .bind("tag", tag)
              .execute();
          h.execute("ANALYZE users");
        });
    return stores.jdbi.withHandle(
        h -> {
          h.execute("SET plan_cache_mode = force_generic_plan");
          h.execute(prepare);
          return h.createQuery(explain).mapTo(String.class).stream()
              .collect(Collectors.joining("\n"));
        });
  }

  @Test
  void newcomersAreCountedAfterAnIdUpToTheCap() {
    var users = new UserStandings(stores.jdbi);
    long before = users.census().newestId();
    var ids = new ArrayList<Long>();
    for (int i = 0; i < 4; i++) {
      ids.add(stores.user());
    }
    assertThat(users.joinedAfter(before, 100)).isEqualTo(new UserStandings.Census(4, ids.get(3)));
    assertThat(users.joinedAfter(before, 3).count()).isEqualTo(3);
    assertThat(users.joinedAfter(ids.get(3), 100))
        .as("nobody since: the id given comes back")
        .isEqualTo(new UserStandings.Census(0, ids.get(3)));
    assertThat(users.census().count()).isEqualTo(stores.count("SELECT count(*) FROM users"));
  }

  @Test
  void recentChangesArePagedInTheOrderTheyHappenedAndOlderOnesLeftOut() {
    var t = Instant.parse("2026-11-30T10:00:00Z");
    long old = stores.user();
    var recent = new ArrayList<Long>();
    for (int i = 0; i < 5; i++) {
      recent.add(stores.user());
    }
    stores.jdbi.useHandle(
        h -> {
          h.execute("UPDATE users SET xp_reached_at = ? WHERE id = ?", t.minusSeconds(60), old);
          // two at the same instant, told apart by id; two in the same millisecond, told apart by
          // the microseconds the database keeps (a page ends between them)
          var at =
              List.of(
                  t.plusSeconds(2).plusNanos(700_000),
                  t.plusSeconds(2).plusNanos(300_000),
                  t.plusSeconds(1),
                  t.plusSeconds(1),
                  t);
          for (int i = 0; i < recent.size(); i++) {
            h.execute(
                "UPDATE users SET total_xp = ?, xp_reached_at = ? WHERE id = ?",
                10 * (i + 1),
                at.get(i),
                recent.get(i));
          }
        });
    var users = new UserStandings(stores.jdbi);
    var seen = new ArrayList<Standing>();
    var page = UserStandings.Changed.since(t);
    int pages = 0;
    while (!(page = users.changedAfter(page, 2)).standings().isEmpty()) {
      seen.addAll(page.standings());
      pages++;
    }
    assertThat(seen.stream().map(Standing::userId))
        .as("by when their XP was reached, then by id")
        .containsExactly(recent.get(4), recent.get(2), recent.get(3), recent.get(1), recent.get(0));
    assertThat(seen.stream().map(Standing::totalXp)).containsExactly(50L, 30L, 40L, 20L, 10L);
    assertThat(pages).isEqualTo(3);
  }
}
