package io.skillquest.worker;

import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.xp.Level;
import io.skillquest.core.xp.XpRule;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.Standing;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns submitted attempts into XP, levels, badges and leaderboard scores, never losing or doubling
 * any of them.
 *
 * <p>One database transaction per batch, in a fixed number of set-based statements whether it holds
 * one attempt or a hundred: lock the attempts (only 'submitted' ones move, exactly once), lock
 * their owners in id order, pay {@code max(0, xpFor(score) - already paid for this challenge)}
 * attempt by attempt in the order given, then read every owner's badge facts in one query and
 * insert earned badges under their primary key. Redelivered tasks and concurrent workers therefore
 * change nothing twice. The leaderboard is written after the commit, never with a connection held,
 * and only upwards (ZADD GT).
 */
public final class AwardProcessor {

  private static final Logger log = LoggerFactory.getLogger(AwardProcessor.class);

  private final Jdbi jdbi;
  private final LeaderboardStore leaderboard;
  private final BadgeCatalogue catalogue;
  private final WorkerMetrics metrics;
  private final OutageBackoff leaderboardWrites =
      new OutageBackoff("Redis (leaderboard writes)", log);

  AwardProcessor(
      Jdbi jdbi, LeaderboardStore leaderboard, BadgeCatalogue catalogue, WorkerMetrics metrics) {
    this.jdbi = jdbi;
    this.leaderboard = leaderboard;
    this.catalogue = catalogue;
    this.metrics = metrics;
  }

  private record Attempt(
      long id,
      long userId,
      long challengeId,
      String status,
      int score,
      Instant submittedAt,
      int challengeXp,
      int passScore) {}

  private record Owner(long totalXp, Instant xpReachedAt, ZoneId zone) {}

  private record Paid(long userId, long challengeId) {}

  private record Batch(
      Map<Long, AwardOutcome> outcomes,
      Map<Long, Instant> submittedAt,
      Map<Long, Standing> standings) {}

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
    if (ids.isEmpty()) return Map.of();
    Batch batch = jdbi.inTransaction(h -> award(h, ids));
    Instant now = Instant.now();
    batch
        .outcomes()
        .forEach(
            (id, outcome) -> {
              switch (outcome.result()) {
                case PROCESSED ->
                    metrics.processed(Duration.between(batch.submittedAt().get(id), now));
                case ALREADY_PROCESSED -> metrics.alreadyProcessed();
                default -> {}
              }
            });
    publish(batch.standings().values());
    return batch.outcomes();
  }

  private Batch award(Handle h, List<Long> ids) {
    Map<Long, Attempt> locked = lockAttempts(h, ids);
    Set<Long> present = existing(h, ids.stream().filter(id -> !locked.containsKey(id)).toList());

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
    if (todo.isEmpty()) return new Batch(outcomes, submittedAt, Map.of());

    Map<Long, Owner> owners = lockOwners(h, todo);
    Map<Paid, Long> paid = alreadyPaid(h, todo);
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
    int moved =
        h.createUpdate(
                """
                        UPDATE attempts a SET status = v.status, xp_awarded = v.xp, processed_at = now()
                        FROM unnest(:ids, :statuses, :xps) AS v(id, status, xp)
                        WHERE a.id = v.id AND a.status = 'submitted'""")
            .bindArray("ids", Long.class, todo.stream().map(Attempt::id).toList())
            .bindArray(
                "statuses",
                String.class,
                todo.stream()
                    .map(a -> XpRule.passed(a.score(), a.passScore()) ? "passed" : "failed")
                    .toList())
            .bindArray("xps", Integer.class, xps)
            .execute();
    if (moved != todo.size())
      throw new IllegalStateException("attempts " + ids + " changed while locked");

    var standings = raiseTotals(h, owners, gains);
    var lastAttempt = new HashMap<Long, Long>();
    todo.forEach(a -> lastAttempt.put(a.userId(), a.id()));
    var badges = awardBadges(h, owners, standings, lastAttempt);

    // each attempt reports the owner's total as it stood after that attempt, and the badges of the
    // owner's last
    var running = new HashMap<Long, Long>();
    for (int i = 0; i < todo.size(); i++) {
      Attempt a = todo.get(i);
      long total =
          owners.get(a.userId()).totalXp()
              + running.merge(a.userId(), (long) xps.get(i), Long::sum);
      outcomes.put(
          a.id(),
          new AwardOutcome(
              AwardOutcome.Result.PROCESSED,
              a.userId(),
              xps.get(i),
              total,
              lastAttempt.get(a.userId()) == a.id()
                  ? badges.getOrDefault(a.userId(), List.of())
                  : List.of()));
      submittedAt.put(a.id(), a.submittedAt());
    }
    return new Batch(outcomes, submittedAt, standings);
  }

  /**
   * SKIP LOCKED: an attempt another worker holds is mid-award; waiting would only find it done. NO
   * KEY UPDATE, because only status columns change and a badge row referencing the attempt must not
   * wait for us.
   */
  private static Map<Long, Attempt> lockAttempts(Handle h, List<Long> ids) {
    var locked = new HashMap<Long, Attempt>();
    h.createQuery(
            """
                        SELECT a.id, a.user_id, a.challenge_id, a.status, coalesce(a.score, 0) AS score, a.submitted_at,
                               c.xp AS challenge_xp, c.pass_score
                        FROM attempts a JOIN challenges c ON c.id = a.challenge_id
                        WHERE a.id = ANY(:ids)
                        FOR NO KEY UPDATE OF a SKIP LOCKED""")
        .bindArray("ids", Long.class, ids)
        .map(
            (rs, ctx) ->
                new Attempt(
                    rs.getLong("id"),
                    rs.getLong("user_id"),
                    rs.getLong("challenge_id"),
                    rs.getString("status"),
                    rs.getInt("score"),
                    ts(rs.getObject("submitted_at", OffsetDateTime.class)),
                    rs.getInt("challenge_xp"),
                    rs.getInt("pass_score")))
        .forEach(a -> locked.put(a.id(), a));
    return locked;
  }

  private static Set<Long> existing(Handle h, List<Long> ids) {
    if (ids.isEmpty()) return Set.of();
    return new HashSet<>(
        h.createQuery("SELECT id FROM attempts WHERE id = ANY(:ids)")
            .bindArray("ids", Long.class, ids)
            .mapTo(Long.class)
            .list());
  }

  /**
   * The owners' row locks serialise each user's awards, so the sums of what was paid cannot race
   * another award. Taken in id order, so two batches sharing users queue instead of deadlocking. NO
   * KEY UPDATE, because plain FOR UPDATE would also block inserts that merely reference the user
   * (logins, badges).
   */
  private static Map<Long, Owner> lockOwners(Handle h, List<Attempt> todo) {
    var owners = new HashMap<Long, Owner>();
    h.createQuery(
            """
                        SELECT id, total_xp, xp_reached_at, time_zone FROM users
                        WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE""")
        .bindArray("ids", Long.class, todo.stream().map(Attempt::userId).distinct().toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getLong("id"),
                    new Owner(
                        rs.getLong("total_xp"),
                        ts(rs.getObject("xp_reached_at", OffsetDateTime.class)),
                        BadgeFacts.zoneOf(rs.getString("time_zone")))))
        .forEach(e -> owners.put(e.getKey(), e.getValue()));
    return owners;
  }

  private static Map<Paid, Long> alreadyPaid(Handle h, List<Attempt> todo) {
    var pairs = todo.stream().map(a -> new Paid(a.userId(), a.challengeId())).distinct().toList();
    var paid = new HashMap<Paid, Long>();
    h.createQuery(
            """
                        SELECT a.user_id, a.challenge_id, sum(a.xp_awarded) AS paid
                        FROM unnest(:users, :challenges) AS p(user_id, challenge_id)
                        JOIN attempts a ON a.user_id = p.user_id AND a.challenge_id = p.challenge_id
                        WHERE a.status IN ('passed', 'failed')
                        GROUP BY a.user_id, a.challenge_id""")
        .bindArray("users", Long.class, pairs.stream().map(Paid::userId).toList())
        .bindArray("challenges", Long.class, pairs.stream().map(Paid::challengeId).toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    new Paid(rs.getLong("user_id"), rs.getLong("challenge_id")),
                    rs.getLong("paid")))
        .forEach(e -> paid.put(e.getKey(), e.getValue()));
    return paid;
  }

  /**
   * Adds each owner's gain; the standings of every owner in the batch, as committed. The time
   * reached is this statement's, taken after the owners' locks: the transaction's start could be
   * older than a total another batch committed while we waited, and would move the owner's time
   * backwards.
   */
  private static Map<Long, Standing> raiseTotals(
      Handle h, Map<Long, Owner> owners, Map<Long, Long> gains) {
    var standings = new LinkedHashMap<Long, Standing>();
    owners.forEach(
        (user, o) -> standings.put(user, new Standing(user, o.totalXp(), o.xpReachedAt())));
    var raised = gains.entrySet().stream().filter(e -> e.getValue() > 0).toList();
    if (raised.isEmpty()) return standings;
    h.createQuery(
            """
                        UPDATE users u SET total_xp = u.total_xp + v.xp, level = v.level, xp_reached_at = statement_timestamp()
                        FROM unnest(:ids, :xps, :levels) AS v(id, xp, level)
                        WHERE u.id = v.id
                        RETURNING u.id, u.total_xp, u.xp_reached_at""")
        .bindArray("ids", Long.class, raised.stream().map(Map.Entry::getKey).toList())
        .bindArray("xps", Long.class, raised.stream().map(Map.Entry::getValue).toList())
        .bindArray(
            "levels",
            Integer.class,
            raised.stream()
                .map(e -> Level.levelFor(owners.get(e.getKey()).totalXp() + e.getValue()))
                .toList())
        .map(
            (rs, ctx) ->
                new Standing(
                    rs.getLong("id"),
                    rs.getLong("total_xp"),
                    ts(rs.getObject("xp_reached_at", OffsetDateTime.class))))
        .forEach(s -> standings.put(s.userId(), s));
    return standings;
  }

  /**
   * Catalogue version and earned badges, one facts query, one insert: four statements for one owner
   * or a hundred, 1 badge or 10,000, plus a catalogue reload only after an admin changed a badge.
   */
  private Map<Long, List<Long>> awardBadges(
      Handle h,
      Map<Long, Owner> owners,
      Map<Long, Standing> standings,
      Map<Long, Long> lastAttempt) {
    var earnedSoFar = new HashMap<Long, Set<Long>>();
    long version =
        h.createQuery(
                """
                        SELECT u.id, (SELECT version FROM badge_catalogue) AS version,
                               ARRAY(SELECT badge_id FROM user_badges WHERE user_id = u.id) AS earned
                        FROM unnest(:users) AS u(id)""")
            .bindArray("users", Long.class, List.copyOf(owners.keySet()))
            .map(
                (rs, ctx) -> {
                  earnedSoFar.put(
                      rs.getLong("id"), Set.of((Long[]) rs.getArray("earned").getArray()));
                  return rs.getLong("version");
                })
            .list()
            .get(0);
    var badges = catalogue.at(h, version);

    var candidates = new HashMap<Long, Map<Long, Condition>>();
    var subjects = new ArrayList<BadgeFacts.Subject>();
    for (var user : owners.keySet()) {
      var earned = earnedSoFar.getOrDefault(user, Set.of());
      var open = new HashMap<Long, Condition>();
      for (var badge : badges) {
        if (!earned.contains(badge.id())) open.put(badge.id(), badge.condition());
      }
      if (open.isEmpty()) continue;
      candidates.put(user, open);
      subjects.add(
          new BadgeFacts.Subject(user, standings.get(user).totalXp(), owners.get(user).zone()));
    }
    if (subjects.isEmpty()) return Map.of();

    var revisions = new HashMap<Long, Integer>();
    badges.forEach(b -> revisions.put(b.id(), b.revision()));
    // inserted in (user, badge) order, the order the backfill inserts in too, so the two cannot
    // deadlock
    var earned = new TreeMap<Long, SortedSet<Long>>();
    BadgeFacts.read(h, subjects)
        .forEach(
            (user, facts) ->
                earned.put(
                    user, new TreeSet<>(BadgeEvaluator.earned(candidates.get(user), facts))));
    var users = new ArrayList<Long>();
    var ids = new ArrayList<Long>();
    var attempts = new ArrayList<Long>();
    earned.forEach(
        (user, badgeIds) ->
            badgeIds.forEach(
                badge -> {
                  users.add(user);
                  ids.add(badge);
                  attempts.add(lastAttempt.get(user));
                }));
    if (ids.isEmpty()) return Map.of();
    var awarded = new HashMap<Long, List<Long>>();
    // joined on the revision that was evaluated: a condition changed meanwhile is left to the
    // backfill pass
    h.createQuery(
            """
                        INSERT INTO user_badges (user_id, badge_id, attempt_id)
                        SELECT e.user_id, b.id, e.attempt_id
                        FROM badges b JOIN unnest(:users, :badges, :revisions, :attempts) AS e(user_id, id, revision, attempt_id)
                             ON e.id = b.id AND e.revision = b.revision
                        ORDER BY e.user_id, b.id
                        ON CONFLICT DO NOTHING
                        RETURNING user_id, badge_id""")
        .bindArray("users", Long.class, users)
        .bindArray("badges", Long.class, ids)
        .bindArray("revisions", Integer.class, ids.stream().map(revisions::get).toList())
        .bindArray("attempts", Long.class, attempts)
        .map((rs, ctx) -> Map.entry(rs.getLong("user_id"), rs.getLong("badge_id")))
        .forEach(
            e -> awarded.computeIfAbsent(e.getKey(), u -> new ArrayList<>()).add(e.getValue()));
    return awarded;
  }

  private void publish(Collection<Standing> standings) {
    if (standings.isEmpty()) return;
    try {
      leaderboard.raise(standings);
      leaderboardWrites.succeeded();
    } catch (JedisException e) {
      // the awards are committed; leaderboard upkeep republishes recently changed users
      metrics.failure("redis");
      leaderboardWrites.failed(e);
    }
  }

  private static Instant ts(OffsetDateTime t) {
    return t == null ? Instant.now() : t.toInstant();
  }
}
