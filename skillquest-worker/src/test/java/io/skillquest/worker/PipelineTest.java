package io.skillquest.worker;

import static io.skillquest.store.testing.StoreFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import io.skillquest.store.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The running worker end to end: queue, sweep, backfill and leaderboard upkeep together, on real
 * stores.
 */
@ExtendWith(RealStores.class)
class PipelineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private StoreFixture stores;

  @BeforeEach
  void open(StoreFixture fresh) {
    stores = fresh;
  }

  @Test
  void twoWorkersOnOneQueueProcessABurstOfSubmitsAndGraderResultsExactlyOnce() {
    var random = new Random(7);
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      users.add(stores.user());
    }
    List<Long> challenges = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      challenges.add(stores.challenge(50 + 50 * i, 60, i % 2 == 0 ? "java" : "go"));
    }
    stores.liveBadge("xp-300", "{\"type\":\"xp\",\"threshold\":300}");
    stores.liveBadge(
        "three-passes", "{\"type\":\"attempt_count\",\"count\":3,\"status\":\"passed\"}");
    long graded = stores.externalChallenge(250, 60);
    try (var first = Workers.fast(stores);
        var second = Workers.fast(stores)) {
      first.start();
      second.start();
      for (int i = 0; i < 400; i++) {
        long user = users.get(random.nextInt(users.size()));
        // every third is a grader's result, some reported days late
        long id =
            i % 3 == 0
                ? stores.gradedResultAndEnqueue(
                    user,
                    graded,
                    random.nextInt(101),
                    i % 2 == 0 ? null : Instant.now().minus(Duration.ofDays(random.nextInt(7))))
                : stores.submitAndEnqueue(
                    user, challenges.get(random.nextInt(challenges.size())), random.nextInt(101));
        // every tenth task is delivered twice, as at-least-once delivery may
        if (i % 10 == 0) {
          stores.enqueue(id);
        }
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      eventually(WAIT, stores::assertConsistent);
    }
    assertThat(stores.count("SELECT count(*) FROM attempts WHERE status IN ('passed', 'failed')"))
        .isEqualTo(400);
    assertThat(stores.redis.llen(stores.keys.deadLetters())).isZero();
  }

  @Test
  void poisonMessagesAreSetAsideAndLaterTasksStillProcess() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    long started = stores.started(user, challenge);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      stores.redis.lpush(stores.keys.queue(), "not json at all");
      stores.redis.lpush(
          stores.keys.queue(),
          "{\"v\":2,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}");
      stores.redis.lpush(stores.keys.queue(), "{\"v\":1,\"attempt_id\":\"x\"}");
      stores.enqueue(999_999_999L);
      stores.enqueue(started);
      long good = stores.submitAndEnqueue(user, challenge, 80);
      eventually(WAIT, () -> assertThat(stores.totalXp(user)).isEqualTo(80));
      eventually(WAIT, () -> assertThat(stores.redis.llen(stores.keys.deadLetters())).isEqualTo(5));
      var letters = String.join("\n", stores.redis.lrange(stores.keys.deadLetters(), 0, -1));
      assertThat(letters)
          .contains(
              "\"reason\":\"malformed\"",
              "\"reason\":\"unknown_attempt\"",
              "\"reason\":\"not_submitted\"",
              "not json at all",
              "unsupported task version 2");
      // redelivery of an already processed attempt is not poison
      stores.enqueue(good);
      long another = stores.submitAndEnqueue(user, challenge, 100);
      eventually(WAIT, () -> assertThat(stores.totalXp(user)).isEqualTo(100));
      assertThat(stores.redis.llen(stores.keys.deadLetters())).isEqualTo(5);
      assertThat(another).isPositive();
      eventually(WAIT, stores::assertConsistent);
    }
  }

  @Test
  void deadLettersReplayedAfterTheFixAreAwardedAndTheStillBadOnesSetAsideAgain() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    long early = stores.started(user, challenge);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      stores.redis.lpush(stores.keys.queue(), "still not json");
      stores.enqueue(early); // a client bug: queued before it was submitted
      eventually(WAIT, () -> assertThat(stores.redis.llen(stores.keys.deadLetters())).isEqualTo(2));
      stores.jdbi.useHandle(
          h ->
              h.execute(
                  "UPDATE attempts SET status = 'submitted', score = 90, submitted_at = now() WHERE id = ?",
                  early));

      assertThat(DeadLetters.replay(stores.redis, stores.keys)).isEqualTo(2);

      eventually(WAIT, () -> assertThat(stores.totalXp(user)).isEqualTo(90));
      eventually(WAIT, () -> assertThat(stores.redis.llen(stores.keys.deadLetters())).isEqualTo(1));
      assertThat(DeadLetters.list(stores.redis, stores.keys, 10))
          .singleElement()
          .asString()
          .contains("still not json", "\"reason\":\"malformed\"");
      eventually(WAIT, stores::assertConsistent);
    }
  }

  @Test
  void deadLettersAnOlderVersionSetAsideAreMovedToTheTaggedListInOrder() {
    // before the dead-letter list shared the queue's cluster slot it was <prefix>queue:dead
    String legacy = stores.keys.legacyDeadLetters();
    stores.redis.lpush(legacy, "{\"reason\":\"malformed\",\"payload\":\"first\"}");
    stores.redis.lpush(legacy, "{\"reason\":\"malformed\",\"payload\":\"second\"}");
    var before = stores.redis.lrange(legacy, 0, -1);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      // in a cluster a letter is popped before it is pushed: wait for the moved list, not the empty
      // one
      eventually(
          WAIT,
          () ->
              assertThat(stores.redis.lrange(stores.keys.deadLetters(), 0, -1)).isEqualTo(before));
      assertThat(stores.redis.exists(legacy)).isFalse();
    }
  }

  @Test
  void redisLosingEverythingMidStreamIsHealedFromTheDatabase() {
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      users.add(stores.user());
    }
    long challenge = stores.challenge(100, 60);
    long other = stores.challenge(300, 60);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      for (int i = 0; i < 40; i++) {
        stores.submitAndEnqueue(users.get(i % users.size()), i % 2 == 0 ? challenge : other, i);
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
    }
    // tasks queued while no worker runs, then Redis comes back empty: queue and leaderboard both
    // gone
    for (int i = 40; i < 70; i++) {
      stores.submitAndEnqueue(users.get(i % users.size()), i % 2 == 0 ? challenge : other, i);
    }
    TestStores.wipeRedis(stores.config);
    assertThat(stores.redis.llen(stores.keys.queue())).isZero();
    assertThat(stores.pending()).isEqualTo(30);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      for (int i = 70; i < 100; i++) {
        stores.submitAndEnqueue(users.get(i % users.size()), i % 2 == 0 ? challenge : other, i);
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      eventually(WAIT, stores::assertConsistent);
    }
    assertThat(stores.count("SELECT count(*) FROM attempts WHERE status IN ('passed', 'failed')"))
        .isEqualTo(100);
  }

  @Test
  void attemptsSubmittedAndGradedDuringARedisOutageAreProcessedByTheSweep() {
    var redisServer = TestStores.redis();
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      users.add(stores.user());
    }
    long challenge = stores.challenge(100, 60);
    try (var worker = Workers.fast(stores)) {
      worker.start();
      stores.submitAndEnqueue(users.get(0), challenge, 40);
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      long graded = stores.externalChallenge(100, 60);
      long scoredLater = stores.started(users.get(1), graded);
      try (var outage = redisServer.outage()) {
        // the server commits the submit; its LPUSH fails, so only the database knows
        for (int i = 0; i < 20; i++) {
          stores.submitted(users.get(i % users.size()), challenge, 50 + i);
        }
        // grader results and scores take the same path
        for (int i = 0; i < 10; i++) {
          stores.gradedResult(
              users.get(i % users.size()), graded, 40 + i, Instant.now().minus(Duration.ofDays(2)));
        }
        stores.graderScores(scoredLater, 90);
        sleep(1500);
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      // the restarted Redis is empty; upkeep rebuilds the leaderboard
      eventually(WAIT, stores::assertConsistent);
    }
    assertThat(stores.count("SELECT count(*) FROM attempts WHERE status IN ('passed', 'failed')"))
        .isEqualTo(32);
  }

  @Test
  void newBadgesAreAwardedRetroactivelyAndAgainWhenTheirConditionChanges() {
    long challenge = stores.challenge(100, 60);
    List<Long> users = new ArrayList<>();
    try (var worker = Workers.fast(stores)) {
      worker.start();
      for (int i = 0; i < 30; i++) {
        long user = stores.user();
        users.add(user);
        stores.submitAndEnqueue(user, challenge, i * 3);
      }
      eventually(WAIT, () -> assertThat(stores.pending()).isZero());
      long badge = stores.badge("fifty-xp", "{\"type\":\"xp\",\"threshold\":50}");
      eventually(
          WAIT,
          () ->
              assertThat(
                      stores.count(
                          "SELECT count(*) FROM badges WHERE id = ? AND backfilled_revision = revision",
                          badge))
                  .isOne());
      // scores 0, 3, ..., 87: users with i*3 >= 50 are i = 17..29
      assertThat(
              stores.count(
                  "SELECT count(*) FROM user_badges WHERE badge_id = ? AND attempt_id IS NULL",
                  badge))
          .isEqualTo(13);

      stores.jdbi.useHandle(
          h ->
              h.execute(
                  """
                    UPDATE badges SET condition = '{"type":"xp","threshold":30}', revision = revision + 1 WHERE id = ?""",
                  badge));
      eventually(
          WAIT,
          () ->
              assertThat(
                      stores.count(
                          "SELECT count(*) FROM badges WHERE id = ? AND backfilled_revision = revision",
                          badge))
                  .isOne());
      assertThat(stores.count("SELECT count(*) FROM user_badges WHERE badge_id = ?", badge))
          .isEqualTo(20);
      stores.assertConsistent();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
