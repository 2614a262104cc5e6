package io.skillquest.worker;

import io.skillquest.core.badge.AttemptStatus;
import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.core.streak.FreezeRule;
import io.skillquest.core.xp.Level;
import io.skillquest.core.xp.XpRule;
import io.skillquest.store.events.Outbox;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.PeriodAttempts;
import io.skillquest.store.leaderboard.PeriodBoards;
import io.skillquest.worker.AwardDao.Attempt;
import io.skillquest.worker.AwardDao.Owner;
import io.skillquest.worker.AwardDao.Paid;
import io.skillquest.worker.WorkerMetrics.Laps;
import io.skillquest.worker.WorkerMetrics.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns submitted attempts into XP, levels, badges and leaderboard scores, never losing or doubling
 * any of them.
 *
 * <p>One database transaction per batch, in two round trips whether it holds one attempt or a
 * hundred. The first locks the attempts (only 'submitted' ones move, exactly once) and their owners
 * in id order, and reads what was paid per challenge, which badges are held and the owners' badge
 * facts. Java then pays {@code max(0, xpFor(score) - already paid for this challenge)} attempt by
 * attempt in the order given, adds the batch's attempts to the facts, and decides the badges and
 * the events. The second round trip settles the attempts and totals, inserts the badges under their
 * primary key, writes the events under the outbox lock and commits, all in one go: a lone award's
 * latency is the number of its dependent round trips, and the outbox lock is held for no network
 * wait at all. Redelivered tasks and concurrent workers therefore change nothing twice. The
 * leaderboard is written after the commit, never with a connection held, and only upwards (ZADD
 * GT); then the gainers' period sums are read and the period boards raised.
 *
 * <p>The events (attempt.processed for each attempt, level.reached for each award that raised a
 * level, badge.awarded for each badge inserted) commit with the awards, so they exist exactly when
 * the awards do.
 */
public final class AwardProcessor {

  private static final Logger log = LoggerFactory.getLogger(AwardProcessor.class);

  private final Jdbi jdbi;
  private final LeaderboardStore leaderboard;
  private final FreezeRule freezeRule;
  private final PeriodBoards periodBoards;
  private final BadgeCatalogue catalogue;
  private final WorkerMetrics metrics;
  private final boolean events;
  private final OutageBackoff leaderboardWrites =
      new OutageBackoff("Redis (leaderboard writes)", log);
  private final OutageBackoff periodSums = new OutageBackoff("PostgreSQL (period sums)", log);

  AwardProcessor(
      Jdbi jdbi, LeaderboardStore leaderboard, BadgeCatalogue catalogue, WorkerMetrics metrics) {
    this(jdbi, leaderboard, catalogue, metrics, FreezeRule.DEFAULT);
  }

  AwardProcessor(
      Jdbi jdbi,
      LeaderboardStore leaderboard,
      BadgeCatalogue catalogue,
      WorkerMetrics metrics,
      FreezeRule freezeRule) {
    this(jdbi, leaderboard, catalogue, metrics, freezeRule, null);
  }

  /**
   * @param periodBoards the live day, week and month boards to raise after each commit; null for
   *     none
   */
  AwardProcessor(
      Jdbi jdbi,
      LeaderboardStore leaderboard,
      BadgeCatalogue catalogue,
      WorkerMetrics metrics,
      FreezeRule freezeRule,
      PeriodBoards periodBoards) {
    this(jdbi, leaderboard, catalogue, metrics, freezeRule, periodBoards, true);
  }

  /**
   * @param events whether the award transaction writes its events to the outbox (off only to
   *     measure what they cost)
   */
  AwardProcessor(
      Jdbi jdbi,
      LeaderboardStore leaderboard,
      BadgeCatalogue catalogue,
      WorkerMetrics metrics,
      FreezeRule freezeRule,
      PeriodBoards periodBoards,
      boolean events) {
    this.events = events;
    this.periodBoards = periodBoards;
    this.freezeRule = freezeRule;
    this.jdbi = jdbi;
    this.leaderboard = leaderboard;
    this.catalogue = catalogue;
    this.metrics = metrics;
  }

  /**
   * A committed batch: what each attempt came to, and what the boards need: the owners' standings,
   * and who gained XP at which time (null when nobody did).
   */
  private record Batch(
      Map<Long, AwardOutcome> outcomes,
      Map<Long, Instant> submittedAt,
      Map<Long, Standing> standings,
      List<Long> gainers,
      Instant processedAt) {}

  /**
   * Processes the attempt if it is still 'submitted'.
   *
   * @throws org.jdbi.v3.core.JdbiException when PostgreSQL fails; nothing was committed, so
   *     retrying is safe
   */
  public AwardOutcome process(long attemptId) {
    return processAll(List.of(attemptId)).get(attemptId);
  }

  /**
   * Processes every attempt of the batch that is still 'submitted', in one transaction, in the
   * order given (which decides who is paid first when one user improves on a challenge twice in the
   * batch).
   *
   * @return an outcome for every distinct id, in the order given
   * @throws org.jdbi.v3.core.JdbiException when PostgreSQL fails; nothing was committed, so
   *     retrying is safe
   */
  public Map<Long, AwardOutcome> processAll(Collection<Long> attemptIds) {
    var ids = List.copyOf(new LinkedHashSet<>(attemptIds));
    if (ids.isEmpty()) {
      return Map.of();
    }
    var laps = metrics.laps();
    Batch batch;
    try (Handle h = jdbi.open()) {
      laps.lap(Phase.CHECKOUT);
      batch = h.inTransaction(tx -> award(tx, ids, laps));
    }
    Instant committed = Instant.now();
    publish(batch.standings().values());
    laps.lap(Phase.LEADERBOARD);
    publishPeriods(batch.gainers(), batch.processedAt());
    laps.lap(Phase.PERIOD_BOARDS);
    // counted after the boards are written, which a lone award's submitter is waiting for
    batch
        .outcomes()
        .forEach(
            (id, outcome) -> {
              switch (outcome.result()) {
                case PROCESSED ->
                    metrics.processed(Duration.between(batch.submittedAt().get(id), committed));
                case ALREADY_PROCESSED -> metrics.alreadyProcessed();
                default -> {}
              }
            });
    return batch.outcomes();
  }

  private Batch award(Handle h, List<Long> ids, Laps laps) {
    var read = AwardDao.lockAndRead(h, ids);
    Map<Long, Attempt> locked = read.attempts();
    Set<Long> present =
        AwardDao.existing(h, ids.stream().filter(id -> !locked.containsKey(id)).toList());
    laps.lap(Phase.LOCK);

    var outcomes = new LinkedHashMap<Long, AwardOutcome>();
    var todo = new ArrayList<Attempt>();
    for (long id : ids) {
      Attempt a = locked.get(id);
      if (a == null) {
        outcomes.put(
            id,
            AwardOutcome.of(
                present.contains(id)
                    ? AwardOutcome.Result.BUSY
                    : AwardOutcome.Result.UNKNOWN_ATTEMPT));
        continue;
      }
      switch (a.status()) {
        case "passed", "failed" ->
            outcomes.put(id, AwardOutcome.of(AwardOutcome.Result.ALREADY_PROCESSED));
        case "started" -> outcomes.put(id, AwardOutcome.of(AwardOutcome.Result.NOT_SUBMITTED));
        default -> {
          outcomes.put(id, null); // 'submitted': ours to process; keeps the caller's order
          todo.add(a);
        }
      }
    }
    var submittedAt = new HashMap<Long, Instant>();
    if (todo.isEmpty()) {
      return new Batch(outcomes, submittedAt, Map.of(), List.of(), null);
    }

    // the owners of attempts another worker holds were locked too; only ours are awarded
    var owners = new LinkedHashMap<Long, Owner>();
    todo.forEach(a -> owners.put(a.userId(), read.owners().get(a.userId())));
    var paid = new HashMap<>(read.paid());
    var xps = new ArrayList<Integer>(todo.size());
    var gains = new LinkedHashMap<Long, Long>();
    for (Attempt a : todo) {
      var key = new Paid(a.userId(), a.challengeId());
      int xp =
          XpRule.award(
              a.challengeXp(),
              a.score(),
              (int) Math.min(Integer.MAX_VALUE, paid.getOrDefault(key, 0L)));
      paid.merge(key, (long) xp, Long::sum);
      gains.merge(a.userId(), (long) xp, Long::sum);
      xps.add(xp);
    }
    var statuses =
        todo.stream()
            .map(a -> XpRule.passed(a.score(), a.passScore()) ? "passed" : "failed")
            .toList();
    var raised = gains.entrySet().stream().filter(e -> e.getValue() > 0).toList();
    var gainers = raised.stream().map(Map.Entry::getKey).toList();

    var lastAttempt = new HashMap<Long, Long>();
    todo.forEach(a -> lastAttempt.put(a.userId(), a.id()));
    var settling = new ArrayList<BadgeFacts.Settled>(todo.size());
    for (int i = 0; i < todo.size(); i++) {
      Attempt a = todo.get(i);
      settling.add(
          new BadgeFacts.Settled(
              a.userId(), AttemptStatus.fromWire(statuses.get(i)), a.score(), a.tags(), a.day()));
    }
    var newBadges = earnedBadges(h, owners, gains, read, settling, lastAttempt);

    // each attempt reports the owner's total as it stood after that attempt
    var totals = new ArrayList<Long>(todo.size());
    var running = new HashMap<Long, Long>();
    var processed = new ArrayList<Outbox.Processed>(todo.size());
    var levels = new ArrayList<Outbox.LevelReached>();
    for (int i = 0; i < todo.size(); i++) {
      Attempt a = todo.get(i);
      long total =
          owners.get(a.userId()).totalXp()
              + running.merge(a.userId(), (long) xps.get(i), Long::sum);
      totals.add(total);
      int level = Level.levelFor(total);
      processed.add(
          new Outbox.Processed(
              a.id(),
              a.userId(),
              a.challengeId(),
              a.score(),
              statuses.get(i),
              xps.get(i),
              total,
              level));
      if (level > Level.levelFor(total - xps.get(i))) {
        levels.add(new Outbox.LevelReached(a.userId(), level, total));
      }
    }
    var badgeEvents = new ArrayList<Outbox.BadgeAwarded>(newBadges.users().size());
    for (int i = 0; i < newBadges.users().size(); i++) {
      badgeEvents.add(
          new Outbox.BadgeAwarded(
              newBadges.users().get(i), newBadges.badges().get(i), newBadges.attempts().get(i)));
    }
    laps.lap(Phase.DECIDE);

    var settled =
        AwardDao.settleAndCommit(
            h,
            new AwardDao.Settlement(
                todo.stream().map(Attempt::id).toList(),
                statuses,
                xps,
                gainers,
                raised.stream().map(Map.Entry::getValue).toList(),
                raised.stream()
                    .map(e -> Level.levelFor(owners.get(e.getKey()).totalXp() + e.getValue()))
                    .toList()),
            newBadges,
            events
                ? Optional.of(new AwardDao.Events(processed, levels, badgeEvents))
                : Optional.empty());
    laps.lap(Phase.SETTLE);
    // cannot happen under the owners' locks; it would leave the board behind until its upkeep
    if (settled.standings().size() != gainers.size()) {
      throw new IllegalStateException("owners " + gainers + " changed while locked");
    }
    var standings = new LinkedHashMap<Long, Standing>();
    owners.forEach(
        (user, o) -> standings.put(user, new Standing(user, o.totalXp(), o.xpReachedAt())));
    settled.standings().forEach(st -> standings.put(st.userId(), st));

    var badges = new HashMap<Long, List<Long>>();
    settled
        .badges()
        .forEach(b -> badges.computeIfAbsent(b.userId(), u -> new ArrayList<>()).add(b.badgeId()));
    // each attempt carries the badges of the owner's last
    for (int i = 0; i < todo.size(); i++) {
      Attempt a = todo.get(i);
      outcomes.put(
          a.id(),
          new AwardOutcome(
              AwardOutcome.Result.PROCESSED,
              a.userId(),
              xps.get(i),
              totals.get(i),
              lastAttempt.get(a.userId()) == a.id()
                  ? badges.getOrDefault(a.userId(), List.of())
                  : List.of()));
      submittedAt.put(a.id(), a.submittedAt());
    }
    return new Batch(outcomes, submittedAt, standings, gainers, settled.processedAt());
  }

  /**
   * The badges each owner earns with this batch, judged on the facts the first round trip read with
   * the batch's attempts added, each credited to the owner's last attempt of the batch. Rows in
   * (user, badge) order, the order the backfill inserts in too, so the two cannot deadlock.
   */
  private AwardDao.NewBadges earnedBadges(
      Handle h,
      Map<Long, Owner> owners,
      Map<Long, Long> gains,
      AwardDao.Locked read,
      List<BadgeFacts.Settled> settling,
      Map<Long, Long> lastAttempt) {
    var badges = catalogue.at(h, read.catalogueVersion());
    var candidates = new HashMap<Long, Map<Long, Condition>>();
    var subjects = new ArrayList<BadgeFacts.Subject>();
    owners.forEach(
        (user, owner) -> {
          var earned = read.earned().getOrDefault(user, Set.of());
          var open = new HashMap<Long, Condition>();
          for (var badge : badges) {
            if (!earned.contains(badge.id())) {
              open.put(badge.id(), badge.condition());
            }
          }
          if (!open.isEmpty()) {
            candidates.put(user, open);
            subjects.add(
                new BadgeFacts.Subject(user, owner.totalXp() + gains.getOrDefault(user, 0L)));
          }
        });
    if (subjects.isEmpty()) {
      return AwardDao.NewBadges.NONE;
    }
    var revisions = new HashMap<Long, Integer>();
    badges.forEach(b -> revisions.put(b.id(), b.revision()));
    var earned = new TreeMap<Long, SortedSet<Long>>();
    BadgeFacts.of(read.facts(), subjects, settling, freezeRule)
        .forEach(
            (user, facts) ->
                earned.put(
                    user, new TreeSet<>(BadgeEvaluator.earned(candidates.get(user), facts))));
    var rows =
        new AwardDao.NewBadges(
            new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    earned.forEach(
        (user, badgeIds) ->
            badgeIds.forEach(
                badge -> {
                  rows.users().add(user);
                  rows.badges().add(badge);
                  rows.revisions().add(revisions.get(badge));
                  rows.attempts().add(lastAttempt.get(user));
                }));
    return rows;
  }

  private List<PeriodWindow> windows(Instant at) {
    var out = new ArrayList<PeriodWindow>(3);
    for (var period : Period.values()) {
      if (period.windowed()) {
        out.add(periodBoards.window(period, at));
      }
    }
    return out;
  }

  /**
   * Raises the live period boards of the users who gained XP, after the commit and after the
   * all-time board, which is what a submitter waits for. Their sums are read now, in the windows
   * containing the batch's processed_at, as absolute values: a sum read later only includes more
   * (another award of the same user since), and the boards are only ever raised. A failed read or
   * write leaves a live board behind until the user's next award or its rebuild; the final
   * standings come from attempts either way.
   */
  private void publishPeriods(List<Long> gainers, Instant processedAt) {
    if (periodBoards == null || gainers.isEmpty()) {
      return;
    }
    var windows = windows(processedAt);
    Map<PeriodWindow, List<Standing>> sums;
    try {
      sums = jdbi.withHandle(h -> PeriodAttempts.of(h, windows, gainers));
      periodSums.succeeded();
    } catch (JdbiException e) {
      metrics.failure("database");
      periodSums.failed(e);
      return;
    }
    try {
      periodBoards.raise(sums);
    } catch (JedisException e) {
      metrics.failure("redis");
      leaderboardWrites.failed(e);
    }
  }

  private void publish(Collection<Standing> standings) {
    if (standings.isEmpty()) {
      return;
    }
    try {
      leaderboard.raise(standings);
      leaderboardWrites.succeeded();
    } catch (JedisException e) {
      // the awards are committed; leaderboard upkeep republishes recently changed users
      metrics.failure("redis");
      leaderboardWrites.failed(e);
    }
  }
}
