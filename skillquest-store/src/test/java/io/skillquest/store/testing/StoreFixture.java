package io.skillquest.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.queue.AwardTask;
import io.skillquest.core.xp.Level;
import io.skillquest.store.Database;
import io.skillquest.store.RedisClients;
import io.skillquest.store.StoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * One test class's real stores: a fresh database and Redis prefix, plus seeding the way the server
 * would (rows straight into SQL, the registration ZADD, the submit LPUSH) and the invariants every
 * test ends with. Test classes get one through {@link RealStores}.
 */
public final class StoreFixture implements AutoCloseable {

  public final StoreConfig config;
  public final Keys keys;
  public final HikariDataSource dataSource;
  public final Jdbi jdbi;
  public final UnifiedJedis redis;
  private final AtomicInteger names = new AtomicInteger();

  public StoreFixture() {
    this(TestStores.fresh());
  }

  /** Over given stores, e.g. {@code TestStores.fresh().withRedisUrl(cluster.url())}. */
  public StoreFixture(StoreConfig config) {
    this.config = config;
    keys = config.keys();
    dataSource = Database.dataSource(config, "test", 16);
    jdbi = Database.jdbi(dataSource);
    redis = RedisClients.pooled(config);
  }

  public long user() {
    return user("UTC");
  }

  public long user(String timeZone) {
    String name = "user" + names.incrementAndGet();
    long id =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        INSERT INTO users (username, email, password_hash, time_zone)
                        VALUES (:name, :name || '@example.com', 'x', :tz) RETURNING id""")
                    .bind("name", name)
                    .bind("tz", timeZone)
                    .mapTo(Long.class)
                    .one());
    Instant created =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT xp_reached_at FROM users WHERE id = :id")
                    .bind("id", id)
                    .mapTo(Instant.class)
                    .one());
    // what the server does at registration, so 0-XP users are ranked
    String member = RankCodec.member(id, created);
    redis.zadd(keys.leaderboard(), 0, member);
    redis.hset(keys.leaderboardMembers(), Long.toString(id), member);
    return id;
  }

  public long challenge(int xp, int passScore, String... tags) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                        INSERT INTO challenges (title, xp, difficulty, tags, pass_score, published)
                        VALUES ('c', :xp, 'easy', :tags, :pass, true) RETURNING id""")
                .bind("xp", xp)
                .bindArray("tags", String.class, (Object[]) tags)
                .bind("pass", passScore)
                .mapTo(Long.class)
                .one());
  }

  /** The server's submit: the attempt committed as 'submitted'; enqueueing is separate. */
  public long submitted(long user, long challenge, int score) {
    return submittedAt(user, challenge, score, null);
  }

  public long submittedAt(long user, long challenge, int score, Instant at) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                        INSERT INTO attempts (user_id, challenge_id, status, score, started_at, submitted_at)
                        VALUES (:user, :challenge, 'submitted', :score, coalesce(:at, now()), coalesce(:at, now()))
                        RETURNING id""")
                .bind("user", user)
                .bind("challenge", challenge)
                .bind("score", score)
                .bind(
                    "at",
                    at == null
                        ? null
                        : java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC))
                .mapTo(Long.class)
                .one());
  }

  /** A challenge only a grader may score (scoring 'external'). */
  public long externalChallenge(int xp, int passScore) {
    long id = challenge(xp, passScore);
    jdbi.useHandle(h -> h.execute("UPDATE challenges SET scoring = 'external' WHERE id = ?", id));
    return id;
  }

  /**
   * The server's grader result: one row born 'submitted', started when it occurred, submitted now,
   * with {@code occurred_at} (null: now) counting for streaks; enqueueing is separate.
   */
  public long gradedResult(long user, long challenge, int score, Instant occurredAt) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                        INSERT INTO attempts (user_id, challenge_id, status, score, started_at, submitted_at, occurred_at)
                        VALUES (:user, :challenge, 'submitted', :score,
                                coalesce(CAST(:at AS timestamptz), now()), now(), CAST(:at AS timestamptz))
                        RETURNING id""")
                .bind("user", user)
                .bind("challenge", challenge)
                .bind("score", score)
                .bindByType(
                    "at",
                    occurredAt == null
                        ? null
                        : java.time.OffsetDateTime.ofInstant(occurredAt, java.time.ZoneOffset.UTC),
                    java.time.OffsetDateTime.class)
                .mapTo(Long.class)
                .one());
  }

  public long gradedResultAndEnqueue(long user, long challenge, int score, Instant occurredAt) {
    long id = gradedResult(user, challenge, score, occurredAt);
    enqueue(id);
    return id;
  }

  /** The server's grader score of a started attempt: it becomes 'submitted'; not enqueued. */
  public long graderScores(long attemptId, int score) {
    int moved =
        jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE attempts SET status = 'submitted', score = :score,"
                            + " submitted_at = coalesce(submitted_at, now())"
                            + " WHERE id = :id AND status IN ('started', 'submitted')")
                    .bind("id", attemptId)
                    .bind("score", score)
                    .execute());
    if (moved != 1) {
      throw new IllegalStateException("attempt " + attemptId + " could not be scored");
    }
    return attemptId;
  }

  public long started(long user, long challenge) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "INSERT INTO attempts (user_id, challenge_id) VALUES (:user, :challenge) RETURNING id")
                .bind("user", user)
                .bind("challenge", challenge)
                .mapTo(Long.class)
                .one());
  }

  public String task(long attemptId) {
    return new AwardTask(attemptId, Instant.now()).toJson();
  }

  public void enqueue(long attemptId) {
    redis.lpush(keys.queue(), task(attemptId));
  }

  public long submitAndEnqueue(long user, long challenge, int score) {
    long id = submitted(user, challenge, score);
    enqueue(id);
    return id;
  }

  public long badge(String name, String conditionJson) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                        INSERT INTO badges (name, condition) VALUES (:name, CAST(:condition AS jsonb)) RETURNING id""")
                .bind("name", name)
                .bind("condition", conditionJson)
                .mapTo(Long.class)
                .one());
  }

  /** A badge as if already backfilled, so only the award path can grant it. */
  public long liveBadge(String name, String conditionJson) {
    long id = badge(name, conditionJson);
    jdbi.useHandle(
        h -> h.execute("UPDATE badges SET backfilled_revision = revision WHERE id = ?", id));
    return id;
  }

  public long count(String sql, Object... args) {
    return jdbi.withHandle(
        h -> {
          var q = h.createQuery(sql);
          for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
          }
          return q.mapTo(Long.class).one();
        });
  }

  public long totalXp(long user) {
    return count("SELECT total_xp FROM users WHERE id = ?", user);
  }

  public List<Integer> xpAwarded(long user, long challenge) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT xp_awarded FROM attempts WHERE user_id = :u AND challenge_id = :c ORDER BY id")
                .bind("u", user)
                .bind("c", challenge)
                .mapTo(Integer.class)
                .list());
  }

  public long pending() {
    return count("SELECT count(*) FROM attempts WHERE status = 'submitted'");
  }

  /** Retries the check until it passes or the time is up (the last failure is thrown). */
  public static void eventually(Duration within, Runnable check) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Nothing lost, nothing doubled: the invariants every test ends with. */
  public void assertConsistent() {
    List<Long> wrongTotals =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT u.id FROM users u
                        LEFT JOIN (SELECT user_id, sum(xp_awarded) AS paid FROM attempts GROUP BY user_id) a ON a.user_id = u.id
                        WHERE u.total_xp <> coalesce(a.paid, 0)""")
                    .mapTo(Long.class)
                    .list());
    assertThat(wrongTotals)
        .as("users whose total_xp differs from the sum of their attempts' xp_awarded")
        .isEmpty();
    assertThat(
            count(
                """
                SELECT count(*) FROM (SELECT a.user_id, a.challenge_id FROM attempts a JOIN challenges c ON c.id = a.challenge_id
                                      GROUP BY a.user_id, a.challenge_id, c.xp HAVING sum(a.xp_awarded) > c.xp) over_paid"""))
        .as("(user, challenge) pairs paid more than the challenge's XP")
        .isZero();
    assertThat(count("SELECT count(*) FROM user_badges"))
        .as("badges held twice")
        .isEqualTo(
            count("SELECT count(*) FROM (SELECT DISTINCT user_id, badge_id FROM user_badges) d"));
    assertThat(
            count(
                "SELECT count(*) FROM attempts WHERE status IN ('passed', 'failed') AND processed_at IS NULL"))
        .isZero();

    assertEventsMatchEffects();
    assertLeaderboardAgrees();
  }

  /**
   * The outbox holds an event exactly when its effect committed: one attempt.processed per
   * processed attempt (saying what was paid), none for any other attempt, and one badge.awarded per
   * badge held.
   */
  public void assertEventsMatchEffects() {
    assertThat(
            count(
                """
                SELECT count(*) FROM attempts a
                WHERE a.status IN ('passed', 'failed') AND 1 <> (
                  SELECT count(*) FROM events e WHERE e.type = 'attempt.processed'
                    AND (e.data->>'attempt_id')::bigint = a.id AND e.user_id = a.user_id
                    AND e.data->>'status' = a.status AND (e.data->>'xp_awarded')::int = a.xp_awarded)"""))
        .as("processed attempts without exactly one matching attempt.processed event")
        .isZero();
    assertThat(
            count(
                """
                SELECT count(*) FROM events e
                WHERE e.type = 'attempt.processed' AND NOT EXISTS (
                  SELECT 1 FROM attempts a WHERE a.id = (e.data->>'attempt_id')::bigint
                    AND a.status IN ('passed', 'failed'))"""))
        .as("attempt.processed events of attempts that were not processed")
        .isZero();
    assertThat(
            count(
                """
                SELECT count(*) FROM user_badges ub
                WHERE 1 <> (SELECT count(*) FROM events e WHERE e.type = 'badge.awarded'
                              AND e.user_id = ub.user_id AND (e.data->>'badge_id')::bigint = ub.badge_id)"""))
        .as("badges held without exactly one badge.awarded event")
        .isZero();
  }

  /** Every user ranked, with the score the codec gives their total and the time they reached it. */
  public void assertLeaderboardAgrees() {
    record Row(long id, long totalXp, int level, Instant reachedAt) {}
    var users =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT id, total_xp, level, xp_reached_at FROM users")
                    .map(
                        (rs, ctx) ->
                            new Row(
                                rs.getLong("id"),
                                rs.getLong("total_xp"),
                                rs.getInt("level"),
                                rs.getObject("xp_reached_at", java.time.OffsetDateTime.class)
                                    .toInstant()))
                    .list());
    Map<String, Double> board = new HashMap<>();
    for (Tuple t : redis.zrangeWithScores(keys.leaderboard(), 0, -1)) {
      board.put(t.getElement(), t.getScore());
    }
    for (var u : users) {
      assertThat(u.level()).as("level of user %d", u.id()).isEqualTo(Level.levelFor(u.totalXp()));
      String member = RankCodec.member(u.id(), u.reachedAt());
      assertThat(redis.hget(keys.leaderboardMembers(), Long.toString(u.id())))
          .as("leaderboard member of user %d", u.id())
          .isEqualTo(member);
      assertThat(board.get(member))
          .as("leaderboard score of user %d", u.id())
          .isEqualTo((double) u.totalXp());
    }
    assertThat(board).as("leaderboard members").hasSize(users.size());
  }

  @Override
  public void close() {
    redis.close();
    dataSource.close();
  }
}
