package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
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
}
