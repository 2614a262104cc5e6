package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plans PostgreSQL keeps for the award statements. The worker's driver prepares each statement
 * once per connection, so after a few runs PostgreSQL settles on a generic plan, which guesses ten
 * rows for any array of ids; a plan that suits that guess must still suit a lone award.
 */
@ExtendWith(RealStores.class)
class AwardPlansTest {

  private final StoreFixture stores;

  AwardPlansTest(StoreFixture stores) {
    this.stores = stores;
  }

  @Test
  void theLockLooksUpEachAttemptsChallengeInsteadOfHashingThemAll() {
    long user = stores.user();
    for (int i = 0; i < 400; i++) {
      stores.challenge(10 + i, 60, "tag" + i % 7);
    }
    long attempt = stores.submitted(user, stores.challenge(100, 60), 90);
    String plan =
        stores.jdbi.withHandle(
            h -> {
              h.execute("ANALYZE challenges");
              h.execute("SET plan_cache_mode = force_generic_plan");
              h.execute(
                  "PREPARE lock_attempts(bigint[]) AS "
                      + AwardDao.LOCK_ATTEMPTS.replace(":ids", "$1"));
              return h
                  .createQuery("EXPLAIN EXECUTE lock_attempts(ARRAY[" + attempt + "]::bigint[])")
                  .mapTo(String.class)
                  .stream()
                  .collect(Collectors.joining("\n"));
            });
    assertThat(plan).contains("challenges_pkey").doesNotContain("Seq Scan on challenges");
  }

  /**
   * Analysed with hardly any attempt pending, the pending index looks cheaper to read whole than
   * ten primary keys are to look up; under a backlog it holds every queued attempt.
   */
  @Test
  void everyAwardStatementFindsTheBatchByPrimaryKeyRatherThanThroughThePendingIndex() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60, "plans");
    stores.jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded,
                                          submitted_at, processed_at)
                    SELECT :user, :challenge, 'passed', 90, 0, now(), now()
                    FROM generate_series(1, 5000)""")
                .bind("user", user)
                .bind("challenge", challenge)
                .execute());
    long attempt = stores.submitted(user, challenge, 90);
    var ids = "ARRAY[" + attempt + "]::bigint[]";
    var statements = new ArrayList<>(List.of(AwardDao.LOCK_AND_READ.split(";\n")));
    statements.add(AwardDao.SETTLED_ALL);
    for (String sql : statements) {
      assertThat(genericPlan(sql.replace(":ids", "$1"), "bigint[]", ids))
          .as(sql)
          .doesNotContain("attempts_pending");
    }
    for (String settle : List.of(AwardDao.SETTLE, AwardDao.SETTLE_AND_RAISE)) {
      assertThat(
              genericPlan(
                  settle
                      .replace(":ids", "$1")
                      .replace(":statuses", "$2")
                      .replace(":xps", "$3")
                      .replace(":users", "$4")
                      .replace(":gains", "$5")
                      .replace(":levels", "$6"),
                  "bigint[], varchar[], int[], bigint[], bigint[], int[]",
                  ids
                      + ", ARRAY['passed']::varchar[], ARRAY[1], ARRAY["
                      + user
                      + "]::bigint[],"
                      + " ARRAY[1]::bigint[], ARRAY[1]"))
          .as(settle)
          .contains("attempts_pkey")
          .doesNotContain("attempts_pending");
    }
  }

  @Test
  void theRecoverySweepReadsThePendingIndex() {
    assertThat(
            genericPlan(
                PendingAttemptDao.OVERDUE.replace(":graceSeconds", "$1").replace(":limit", "$2"),
                "float8, int",
                "30, 100"))
        .contains("attempts_pending");
  }

  /** The generic plan of {@code sql} (parameters $1.. of {@code types}) for {@code args}. */
  private String genericPlan(String sql, String types, String args) {
    return stores.jdbi.withHandle(
        h -> {
          h.execute("ANALYZE attempts");
          h.execute("SET plan_cache_mode = force_generic_plan");
          h.execute("PREPARE statement(" + types + ") AS " + sql);
          try {
            return h
                .createQuery("EXPLAIN EXECUTE statement(" + args + ")")
                .mapTo(String.class)
                .stream()
                .collect(Collectors.joining("\n"));
          } finally {
            // the connection goes back to the pool
            h.execute("DEALLOCATE statement");
            h.execute("RESET plan_cache_mode");
          }
        });
  }
}
