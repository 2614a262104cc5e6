package io.skillquest.worker;

import static io.skillquest.store.testing.StoreFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WorkerMain as the separate JVM it is in production, killed without warning or stopped with
 * SIGTERM.
 */
@ExtendWith(RealStores.class)
class WorkerProcessTest {

  private StoreFixture stores;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void open(StoreFixture fresh) {
    stores = fresh;
  }

  @AfterEach
  void close() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void aWorkerKilledAtRandomMomentsDuringABurstOfSubmitsAndGraderResultsLosesAndDoublesNothing()
      throws Exception {
    var random = new Random(11);
    // a receiver slow enough that deliveries are under way at every kill
    var receiver = new Receiver();
    receiver.answer =
        r -> {
          try {
            Thread.sleep(3);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return 200;
        };
    long hook = WebhookDeliveryTest.webhook(stores, receiver.url("/chaos"));
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      users.add(stores.user());
    }
    List<Long> challenges = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      challenges.add(stores.challenge(40 + 60 * i, 50 + 5 * i, i % 2 == 0 ? "java" : "sql"));
    }
    List<Long> graded = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      graded.add(stores.externalChallenge(100 + 50 * i, 60));
    }
    stores.liveBadge("xp-500", "{\"type\":\"xp\",\"threshold\":500}");
    stores.liveBadge(
        "five-passes", "{\"type\":\"attempt_count\",\"count\":5,\"status\":\"passed\"}");
    stores.liveBadge("java-3", "{\"type\":\"tag_passed\",\"tag\":\"java\",\"count\":3}");

    var submitFailure = new AtomicReference<Throwable>();
    var submitter =
        new Thread(
            () -> {
              var r = new Random(13);
              try {
                for (int i = 0; i < 600; i++) {
                  long user = users.get(r.nextInt(users.size()));
                  switch (i % 3) {
                    // a grader's result, reported up to six days late
                    case 1 ->
                        stores.gradedResultAndEnqueue(
                            user,
                            graded.get(r.nextInt(graded.size())),
                            r.nextInt(101),
                            Instant.now().minus(Duration.ofHours(r.nextInt(6 * 24))));
                    // a grader's score of an attempt the player started
                    case 2 ->
                        stores.enqueue(
                            stores.graderScores(
                                stores.started(user, graded.get(r.nextInt(graded.size()))),
                                r.nextInt(101)));
                    default ->
                        stores.submitAndEnqueue(
                            user, challenges.get(r.nextInt(challenges.size())), r.nextInt(101));
                  }
                  if (i % 10 == 0) {
                    Thread.sleep(60);
                  }
                }
              } catch (Throwable t) {
                submitFailure.set(t);
              }
            },
            "submitter");

    Process worker = launch();
    submitter.start();
    int killedWhileProcessing = 0;
    for (int kill = 0; kill < 3; kill++) {
      // kill while it works, not while the JVM is still starting
      awaitStarted(worker);
      Thread.sleep(100 + random.nextInt(700));
      if (submitter.isAlive()) {
        killedWhileProcessing++;
      }
      worker.destroyForcibly();
      assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
      worker = launch();
    }
    submitter.join();
    assertThat(submitFailure.get()).isNull();
    assertThat(killedWhileProcessing).as("kills during the burst").isPositive();

    eventually(Duration.ofSeconds(60), () -> assertThat(stores.pending()).isZero());
    eventually(Duration.ofSeconds(30), stores::assertConsistent);
    assertThat(stores.count("SELECT count(*) FROM attempts WHERE status IN ('passed', 'failed')"))
        .isEqualTo(600);
    assertThat(
            stores.count(
                "SELECT count(*) FROM attempts a JOIN challenges c ON c.id = a.challenge_id"
                    + " WHERE c.scoring = 'external' AND a.status IN ('passed', 'failed')"))
        .as("grader scores and results among them")
        .isEqualTo(400);
    assertThat(stores.redis.llen(stores.keys.deadLetters())).isZero();

    // every event reached the receiver at least once, in order apart from repeats after a kill
    var all = new io.skillquest.store.events.EventStore(stores.jdbi).after(0, null, 1000);
    assertThat(all).hasSizeGreaterThanOrEqualTo(600);
    // a killed worker's lease on the endpoint runs out within 25 s
    eventually(
        Duration.ofSeconds(120),
        () ->
            assertThat(new java.util.HashSet<>(WebhookDeliveryTest.ids(receiver)))
                .containsAll(all.stream().map(e -> e.id()).toList()));
    // the last answers may still be being recorded
    eventually(
        Duration.ofSeconds(30),
        () ->
            assertThat(
                    stores.count(
                        "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?"
                            + " AND status = 'succeeded'",
                        hook))
                .isEqualTo(all.size()));
    long repeats = WebhookDeliveryTest.ids(receiver).size() - all.size();
    System.out.println("webhook deliveries repeated after kills: " + repeats);
    receiver.close();

    worker.destroy();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).as("exit status after SIGTERM").isZero();
  }

  @Test
  void sigtermFinishesTheTaskInHandAndExitsZero() throws Exception {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    Process worker = launch();
    for (int i = 0; i < 50; i++) {
      stores.submitAndEnqueue(user, challenge, i * 2);
    }
    eventually(Duration.ofSeconds(30), () -> assertThat(stores.pending()).isZero());
    stores.submitAndEnqueue(user, challenge, 100);
    worker.destroy();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isZero();
    assertThat(stores.totalXp(user) + stores.pending()).isPositive();
    if (stores.pending() > 0) {
      // stopped before popping it: the next worker's sweep takes it
      launch();
      eventually(Duration.ofSeconds(30), () -> assertThat(stores.pending()).isZero());
    }
    eventually(Duration.ofSeconds(30), stores::assertConsistent);
    assertThat(stores.totalXp(user)).isEqualTo(100);
  }

  @Test
  void rebuildLeaderboardCommandRestoresTheSortedSet() throws Exception {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    stores.submitted(user, challenge, 70);
    try (var worker = Workers.fast(stores)) {
      worker.sweepNow();
    }
    // tolerate the sweep's grace: process directly if it has not passed yet
    eventually(
        Duration.ofSeconds(10),
        () -> {
          try (var worker = Workers.fast(stores)) {
            worker.sweepNow();
          }
          assertThat(stores.pending()).isZero();
        });
    stores.redis.del(stores.keys.leaderboard());
    Process rebuild = start("rebuild-leaderboard");
    assertThat(rebuild.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(rebuild.exitValue()).isZero();
    stores.assertConsistent();
  }

  private Process launch() throws IOException {
    return start();
  }

  private final java.util.Map<Process, Path> logs = new java.util.HashMap<>();

  private void awaitStarted(Process worker) throws IOException, InterruptedException {
    Path log = logs.get(worker);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.readString(log).contains(" started: queue ")) {
      assertThat(worker.isAlive()).as("worker process alive; see " + log).isTrue();
      assertThat(System.nanoTime()).as("worker started within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                WorkerMain.class.getName()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(stores.config.toEnv());
    builder.environment().put("SKILLQUEST_WORKER_GRACE_SECONDS", "1");
    builder.environment().put("SKILLQUEST_WORKER_METRICS_PORT", "0");
    builder.environment().put("SKILLQUEST_WEBHOOK_ALLOW_PRIVATE", "true");
    File log =
        Files.createDirectories(Path.of("target", "worker-processes"))
            .resolve(stores.keys.prefix().replace(':', '_') + processes.size() + ".log")
            .toFile();
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    var process = builder.start();
    processes.add(process);
    logs.put(process, log.toPath());
    return process;
  }
}
