package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RealStores.class)
class AwardProcessorTest {

  private final StoreFixture stores;
  private final AwardProcessor processor;

  AwardProcessorTest(StoreFixture stores) {
    this.stores = stores;
    this.processor =
        new AwardProcessor(
            stores.jdbi,
            new LeaderboardStore(stores.jdbi, stores.redis, stores.keys),
            new BadgeCatalogue(new BadgeConditions()),
            new WorkerMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void consistent() {
    stores.assertConsistent();
  }

  @Test
  void noFarmingPaysOnlyImprovementsUpToTheChallengeXp() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    for (int score : new int[] {50, 80, 70, 100, 100}) {
      processor.process(stores.submitted(user, challenge, score));
    }
    assertThat(stores.xpAwarded(user, challenge)).containsExactly(50, 30, 0, 20, 0);
    assertThat(stores.totalXp(user)).isEqualTo(100);
  }

  @Test
  void passOrFailIsDecidedByTheChallengesPassScore() {
    long user = stores.user();
    long challenge = stores.challenge(200, 75);
    long failed = stores.submitted(user, challenge, 74);
    long passed = stores.submitted(user, challenge, 75);
    processor.process(failed);
    processor.process(passed);
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts WHERE id = ? AND status = 'failed' AND xp_awarded = 148",
                failed))
        .isOne();
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts WHERE id = ? AND status = 'passed' AND xp_awarded = 2",
                passed))
        .isOne();
  }

  @Test
  void theSameTaskDeliveredTwiceChangesNothingTheSecondTime() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    long firstSteps = stores.liveBadge("first-steps", "{\"type\":\"attempt_count\",\"count\":1}");
    long attempt = stores.submitted(user, challenge, 90);
    try (var worker = Workers.fast(stores)) {
      worker.handle(stores.task(attempt));
      worker.handle(stores.task(attempt));
    }
    assertThat(processor.process(attempt).result())
        .isEqualTo(AwardOutcome.Result.ALREADY_PROCESSED);
    assertThat(stores.totalXp(user)).isEqualTo(90);
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id = ?",
                user,
                firstSteps))
        .isOne();
    assertThat(stores.redis.llen(stores.keys.deadLetters())).isZero();
  }

  @Test
  void levelFollowsTotalXp() {
    long user = stores.user();
    long challenge = stores.challenge(1000, 60);
    var outcome = processor.process(stores.submitted(user, challenge, 90));
    assertThat(outcome.totalXp()).isEqualTo(900);
    assertThat(stores.count("SELECT level FROM users WHERE id = ?", user)).isEqualTo(4);
  }

  @Test
  void attemptsEarnBadgesOnce() {
    long user = stores.user();
    long java = stores.challenge(100, 60, "java", "basics");
    long other = stores.challenge(100, 60, "python");
    long xpBadge = stores.liveBadge("xp-150", "{\"type\":\"xp\",\"threshold\":150}");
    long tagBadge =
        stores.liveBadge("java-2", "{\"type\":\"tag_passed\",\"tag\":\"java\",\"count\":2}");
    long perfect = stores.liveBadge("perfect", "{\"type\":\"perfect_scores\",\"count\":1}");

    var first = processor.process(stores.submitted(user, java, 100));
    assertThat(first.badgeIds()).contains(perfect).doesNotContain(xpBadge, tagBadge);
    var second = processor.process(stores.submitted(user, other, 60));
    assertThat(second.badgeIds()).contains(xpBadge).doesNotContain(perfect, tagBadge);
    var third = processor.process(stores.submitted(user, java, 70));
    assertThat(third.badgeIds()).contains(tagBadge).doesNotContain(perfect, xpBadge);
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id IN (?, ?, ?)",
                user,
                xpBadge,
                tagBadge,
                perfect))
        .isEqualTo(3);
  }

  @Test
  void passedDaysAreCountedInTheUsersTimeZone() {
    // 14:00Z is still Jan 1 in Tokyo (23:00); 16:00Z the next day is already Jan 3 there
    Instant day1 = Instant.parse("2026-01-01T14:00:00Z");
    Instant day2 = Instant.parse("2026-01-02T16:00:00Z");
    long streak = stores.liveBadge("two-days", "{\"type\":\"consecutive_days\",\"days\":2}");
    long challenge = stores.challenge(10, 60);
    long utc = stores.user("UTC");
    long tokyo = stores.user("Asia/Tokyo");
    for (long user : new long[] {utc, tokyo}) {
      processor.process(stores.submittedAt(user, challenge, 90, day1));
      processor.process(stores.submittedAt(user, challenge, 90, day2));
    }
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id = ?", utc, streak))
        .isOne();
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id = ?",
                tokyo,
                streak))
        .isZero();
  }

  @Test
  void aGraderResultCountsForStreaksOnTheDayItOccurredNotTheDayItArrived() {
    long streak = stores.liveBadge("two-days-graded", "{\"type\":\"consecutive_days\",\"days\":2}");
    long challenge = stores.externalChallenge(10, 60);
    long user = stores.user("UTC");
    long late = stores.user("UTC");
    // both arrive today; one user's result happened yesterday, the other's three days ago
    processor.process(
        stores.gradedResult(
            user, challenge, 90, Instant.now().minus(java.time.Duration.ofDays(1))));
    processor.process(stores.gradedResult(user, challenge, 90, null));
    processor.process(
        stores.gradedResult(
            late, challenge, 90, Instant.now().minus(java.time.Duration.ofDays(3))));
    processor.process(stores.gradedResult(late, challenge, 90, null));
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id = ?",
                user,
                streak))
        .isOne();
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id = ?",
                late,
                streak))
        .isZero();
  }

  @Test
  void badgeFactsAreReadInTheSameNumberOfStatementsForOneBadgeOrFifty() {
    long challenge = stores.challenge(10, 60, "java");
    stores.liveBadge("unreachable-0", "{\"type\":\"xp\",\"threshold\":1000000000}");
    int withOne = statementsToProcess(stores.user(), challenge);
    for (int i = 1; i < 50; i++) {
      stores.liveBadge(
          "unreachable-" + i,
          i % 2 == 0
              ? "{\"type\":\"tag_passed\",\"tag\":\"java\",\"count\":" + (1000 + i) + "}"
              : "{\"type\":\"all_of\",\"conditions\":[{\"type\":\"distinct_days\",\"days\":"
                  + (100 + i)
                  + "},{\"type\":\"level\",\"level\":99}]}");
    }
    int withFifty = statementsToProcess(stores.user(), challenge);
    // three of them write the outbox: its lock, the attempt.processed insert, the notification
    assertThat(withFifty).isEqualTo(withOne).isLessThanOrEqualTo(15);
  }

  @Test
  void steadyStateAwardsReadOneVersionRowNotEveryBadge() {
    long challenge = stores.challenge(10, 60, "java");
    for (int i = 0; i < 20; i++) {
      stores.liveBadge("far-" + i, "{\"type\":\"xp\",\"threshold\":" + (1_000_000 + i) + "}");
    }
    int first = statementsToProcess(stores.user(), challenge);
    int steady = statementsToProcess(stores.user(), challenge);
    assertThat(steady).as("no catalogue reload while no badge changed").isEqualTo(first - 1);
  }

  @Test
  void aBadgeChangedOrDeletedAfterTheCatalogueWasCachedIsSeenOnTheNextAward() {
    long challenge = stores.challenge(10, 60);
    long changed = stores.liveBadge("moving-target", "{\"type\":\"xp\",\"threshold\":1000000}");
    long deleted = stores.liveBadge("soon-gone", "{\"type\":\"attempt_count\",\"count\":1}");
    long early = stores.user();
    assertThat(processor.process(stores.submitted(early, challenge, 90)).badgeIds())
        .containsExactly(deleted);

    stores.jdbi.useHandle(
        h -> {
          h.execute(
              "UPDATE badges SET condition = '{\"type\":\"xp\",\"threshold\":1}', revision = revision + 1,"
                  + " backfilled_revision = revision + 1 WHERE id = ?",
              changed);
          h.execute("DELETE FROM badges WHERE id = ?", deleted);
        });
    long late = stores.user();
    var outcome = processor.process(stores.submitted(late, challenge, 90));
    assertThat(outcome.result()).isEqualTo(AwardOutcome.Result.PROCESSED);
    assertThat(outcome.badgeIds()).containsExactly(changed);
  }

  @Test
  void aBadgeStoredWithAnInvalidConditionIsSkippedNotFatal() {
    long user = stores.user();
    long challenge = stores.challenge(10, 60);
    long broken = stores.liveBadge("broken", "{\"type\":\"no_such_type\"}");
    long ok = stores.liveBadge("any-attempt", "{\"type\":\"attempt_count\",\"count\":1}");
    var outcome = processor.process(stores.submitted(user, challenge, 10));
    assertThat(outcome.result()).isEqualTo(AwardOutcome.Result.PROCESSED);
    assertThat(outcome.badgeIds()).contains(ok).doesNotContain(broken);
  }

  @Test
  void unknownAndUnsubmittedAttemptsAreReportedAsSuch() {
    long user = stores.user();
    long challenge = stores.challenge(10, 60);
    assertThat(processor.process(987_654_321L).result())
        .isEqualTo(AwardOutcome.Result.UNKNOWN_ATTEMPT);
    assertThat(processor.process(stores.started(user, challenge)).result())
        .isEqualTo(AwardOutcome.Result.NOT_SUBMITTED);
  }

  @Test
  void aBatchPaysInTheOrderGivenAndReportsEveryAttempt() {
    long alice = stores.user();
    long bob = stores.user();
    long challenge = stores.challenge(100, 60);
    long done = stores.submitted(bob, challenge, 40);
    processor.process(done);
    long first = stores.submitted(alice, challenge, 50);
    long second = stores.submitted(alice, challenge, 80);
    long third = stores.submitted(alice, challenge, 70);
    long bobs = stores.submitted(bob, challenge, 100);
    long started = stores.started(bob, challenge);

    var outcomes =
        processor.processAll(
            List.of(second, 987_654_321L, first, done, bobs, started, third, second));

    assertThat(outcomes.keySet())
        .containsExactly(second, 987_654_321L, first, done, bobs, started, third);
    assertThat(outcomes.get(second))
        .extracting(AwardOutcome::result, AwardOutcome::xpAwarded, AwardOutcome::totalXp)
        .containsExactly(AwardOutcome.Result.PROCESSED, 80, 80L);
    assertThat(outcomes.get(first))
        .extracting(AwardOutcome::xpAwarded, AwardOutcome::totalXp)
        .containsExactly(0, 80L);
    assertThat(outcomes.get(third))
        .extracting(AwardOutcome::xpAwarded, AwardOutcome::totalXp)
        .containsExactly(0, 80L);
    assertThat(outcomes.get(bobs))
        .extracting(AwardOutcome::xpAwarded, AwardOutcome::totalXp)
        .containsExactly(60, 100L);
    assertThat(outcomes.get(987_654_321L).result()).isEqualTo(AwardOutcome.Result.UNKNOWN_ATTEMPT);
    assertThat(outcomes.get(done).result()).isEqualTo(AwardOutcome.Result.ALREADY_PROCESSED);
    assertThat(outcomes.get(started).result()).isEqualTo(AwardOutcome.Result.NOT_SUBMITTED);
    assertThat(stores.totalXp(alice)).isEqualTo(80);
    assertThat(stores.totalXp(bob)).isEqualTo(100);
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts WHERE id IN (?, ?, ?) AND status = 'failed'",
                first,
                done,
                started))
        .as("only the 50 and the 40 are below the pass mark; the started one is untouched")
        .isEqualTo(2);
  }

  @Test
  void aBatchAwardsEachOwnersBadgesOnceAndCreditsTheirLastAttempt() {
    long challenge = stores.challenge(100, 60, "java");
    long two = stores.liveBadge("two-attempts", "{\"type\":\"attempt_count\",\"count\":2}");
    long perfect = stores.liveBadge("perfect-one", "{\"type\":\"perfect_scores\",\"count\":1}");
    long alice = stores.user();
    long bob = stores.user();
    long a1 = stores.submitted(alice, challenge, 100);
    long b1 = stores.submitted(bob, challenge, 70);
    long a2 = stores.submitted(alice, challenge, 90);

    var outcomes = processor.processAll(List.of(a1, b1, a2));

    // other tests' badges live in the same catalogue, so only these two are pinned down
    assertThat(outcomes.get(a1).badgeIds()).isEmpty();
    assertThat(outcomes.get(a2).badgeIds()).contains(two, perfect);
    assertThat(outcomes.get(b1).badgeIds()).doesNotContain(two, perfect);
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND attempt_id <> ?",
                alice,
                a2))
        .isZero();
    assertThat(
            stores.count(
                "SELECT count(*) FROM user_badges WHERE user_id = ? AND badge_id IN (?, ?)",
                bob,
                two,
                perfect))
        .isZero();
  }

  @Test
  void aBatchTakesTheSameRoundTripsForTwoAttemptsOrForty() {
    long challenge = stores.challenge(10, 60, "java");
    stores.liveBadge("far-away", "{\"type\":\"xp\",\"threshold\":1000000000}");
    processor.process(stores.submitted(stores.user(), challenge, 90)); // loads the catalogue
    var one = List.of(stores.submitted(stores.user(), challenge, 90));
    var two =
        List.of(
            stores.submitted(stores.user(), challenge, 90),
            stores.submitted(stores.user(), challenge, 80));
    var forty = new java.util.ArrayList<Long>();
    for (int i = 0; i < 40; i++) {
      forty.add(stores.submitted(stores.user(), challenge, 50 + i));
    }
    // lock and read; then settle, write the events and commit, with nothing left to send after
    assertThat(statements(one)).isEqualTo(2);
    assertThat(statements(forty)).isEqualTo(statements(two)).isEqualTo(2);
    assertThat(transactionStates)
        .as("the commit travels with the second round trip")
        .containsExactly(TransactionState.OPEN, TransactionState.IDLE);
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts WHERE id = ANY(?) AND status IN ('passed', 'failed')",
                (Object) forty.toArray(Long[]::new)))
        .isEqualTo(40);
  }

  @Test
  void aBatchThatFailsIsRetriedOneByOneSoOnlyThePoisonedAttemptWaits() {
    long challenge = stores.challenge(100, 60);
    long user = stores.user();
    long poisoned = stores.submitted(user, challenge, 90);
    var healthy =
        List.of(
            stores.submitted(stores.user(), challenge, 90),
            stores.submitted(stores.user(), challenge, 80));
    // a fault only this attempt hits, as a bug or a bad row would: its move out of 'submitted' is
    // refused
    stores.jdbi.useHandle(
        h ->
            h.execute(
                """
                CREATE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.id = %d THEN RAISE EXCEPTION 'poisoned attempt'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_poisoned BEFORE UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION refuse_poisoned();
                """
                    .formatted(poisoned)));
    try {
      var retrying = new BatchRetry(processor, new WorkerMetrics(new SimpleMeterRegistry()));
      var outcomes =
          retrying.processAll(List.of(healthy.get(0), poisoned, healthy.get(1)), () -> true);
      assertThat(outcomes).containsOnlyKeys(healthy);
      assertThat(outcomes.values()).allMatch(o -> o.result() == AwardOutcome.Result.PROCESSED);
    } finally {
      stores.jdbi.useHandle(
          h ->
              h.execute(
                  "DROP TRIGGER refuse_poisoned ON attempts; DROP FUNCTION refuse_poisoned()"));
    }
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts WHERE id = ? AND status = 'submitted'", poisoned))
        .isOne();
    assertThat(stores.totalXp(user)).isZero();
    assertThat(processor.process(poisoned).result())
        .as("fine once the fault is gone")
        .isEqualTo(AwardOutcome.Result.PROCESSED);
  }

  @Test
  void anAttemptThatDoesNotMoveStopsTheCommitSoItsOwnerIsNotPaid() {
    long challenge = stores.challenge(100, 60);
    long user = stores.user();
    long stuck = stores.submitted(user, challenge, 90);
    long events = stores.count("SELECT count(*) FROM events");
    // the settle's UPDATE silently skips this row, as only a bug could make it under the lock
    stores.jdbi.useHandle(
        h ->
            h.execute(
                """
                CREATE FUNCTION skip_stuck() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.id = %d THEN RETURN NULL; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER skip_stuck BEFORE UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION skip_stuck();
                """
                    .formatted(stuck)));
    try {
      assertThatThrownBy(() -> processor.process(stuck))
          .hasStackTraceContaining("attempts changed while locked");
    } finally {
      stores.jdbi.useHandle(
          h -> h.execute("DROP TRIGGER skip_stuck ON attempts; DROP FUNCTION skip_stuck()"));
    }
    assertThat(stores.totalXp(user)).as("the gain was sent, and rolled back").isZero();
    assertThat(stores.count("SELECT count(*) FROM events")).isEqualTo(events);
    assertThat(processor.process(stuck).totalXp()).as("paid once the fault is gone").isEqualTo(90);
  }

  /** The driver's transaction state after each statement of the last {@link #statements} call. */
  private final List<TransactionState> transactionStates = new java.util.ArrayList<>();

  private int statements(List<Long> attempts) {
    var statements = new AtomicInteger();
    transactionStates.clear();
    var counting = stores.jdbi.getConfig().get(org.jdbi.v3.core.statement.SqlStatements.class);
    SqlLogger previous = counting.getSqlLogger();
    counting.setSqlLogger(
        new SqlLogger() {
          @Override
          public void logAfterExecution(StatementContext context) {
            statements.incrementAndGet();
            try {
              transactionStates.add(
                  context.getConnection().unwrap(BaseConnection.class).getTransactionState());
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          }
        });
    try {
      assertThat(processor.processAll(attempts).values())
          .allMatch(o -> o.result() == AwardOutcome.Result.PROCESSED);
    } finally {
      counting.setSqlLogger(previous);
    }
    return statements.get();
  }

  private int statementsToProcess(long user, long challenge) {
    return statements(List.of(stores.submitted(user, challenge, 90)));
  }
}
