package io.skillquest.server.attempt;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Attempts in SQL. A plain class over {@link Jdbi} rather than a SqlObject interface because start
 * and submit are hot paths: an on-demand SqlObject call resolves its configuration and builds a
 * constructor mapper on every call, about 49 µs of CPU against 12 µs for the same query with a
 * prebuilt {@link RowMapper} (measured on the bench box). Every method takes a pooled connection
 * for one statement (autocommit) and gives it back.
 */
public final class AttemptDao {
  static final String COLUMNS =
      "id, challenge_id, user_id, status, score, xp_awarded, started_at, submitted_at, processed_at";

  /**
   * Starts an attempt on a challenge the caller can see; empty when there is no such challenge for
   * them.
   */
  private static final String START =
      "INSERT INTO attempts (user_id, challenge_id, quiz_version)"
          + " SELECT :userId, c.id, CASE WHEN c.scoring = 'quiz' THEN c.quiz_version END"
          + " FROM challenges c"
          + " WHERE c.id = :challengeId AND c.deleted_at IS NULL AND (c.published OR :admin)"
          + " RETURNING "
          + COLUMNS;

  // the challenge must still be there, visible to the caller and scored the way the score was
  // reached: a deleted or unpublished one pays nothing, and a self score never lands on a quiz
  private static final String SUBMIT =
      "UPDATE attempts SET status = 'submitted', score = :score, submitted_at = now()"
          + " WHERE id = :id AND user_id = :userId AND status = 'started'"
          + " AND EXISTS (SELECT 1 FROM challenges c WHERE c.id = challenge_id AND c.deleted_at IS NULL"
          + " AND (c.published OR :admin) AND c.scoring = :scoring)"
          + " RETURNING "
          + COLUMNS;

  /**
   * Why a submit may not go ahead, and the quiz to score it by: the version the attempt started on,
   * or the challenge's current one when it started before the challenge became a quiz.
   */
  private static final String SUBMITTING =
      "SELECT a.status, a.challenge_id, c.scoring,"
          + " (c.deleted_at IS NULL AND (c.published OR :admin)) AS available, v.questions"
          + " FROM attempts a JOIN challenges c ON c.id = a.challenge_id"
          + " LEFT JOIN challenge_quiz_versions v ON v.challenge_id = a.challenge_id"
          + " AND v.version = COALESCE(a.quiz_version, c.quiz_version)"
          + " WHERE a.id = :id AND a.user_id = :userId";

  private static final RowMapper<Submitting> SUBMITTING_ROW =
      (rs, ctx) ->
          new Submitting(
              rs.getString("status"),
              rs.getLong("challenge_id"),
              rs.getString("scoring"),
              rs.getBoolean("available"),
              rs.getString("questions"));

  private static final String FIND =
      "SELECT " + COLUMNS + " FROM attempts WHERE id = :id AND user_id = :userId";

  /**
   * A grader's score: only on an external challenge that still exists, and only before the worker
   * settled the attempt (the worker holds the row while it does, so this waits and then misses). A
   * re-score of a submitted attempt keeps its submitted_at: it is already queued.
   */
  private static final String GRADE =
      "UPDATE attempts SET status = 'submitted', score = :score,"
          + " submitted_at = coalesce(submitted_at, now())"
          + " WHERE id = :id AND status IN ('started', 'submitted')"
          + " AND EXISTS (SELECT 1 FROM challenges c WHERE c.id = challenge_id"
          + " AND c.deleted_at IS NULL AND c.scoring = 'external')"
          + " RETURNING "
          + COLUMNS;

  /** Why a grader's score may not go ahead: the attempt's status and its challenge. */
  private static final String GRADING =
      "SELECT a.status, a.challenge_id, c.scoring, c.deleted_at IS NULL AS available"
          + " FROM attempts a JOIN challenges c ON c.id = a.challenge_id WHERE a.id = :id";

  /**
   * A finished result in one statement, born submitted. It started when it occurred; submitted_at
   * is now, when the server took the score, so the queue, the recovery sweep and award latency
   * behave as for any submit, while streaks count the day it occurred.
   */
  private static final String RECORD =
      "INSERT INTO attempts (user_id, challenge_id, status, score, started_at, submitted_at,"
          + " occurred_at)"
          + " SELECT u.id, c.id, 'submitted', :score,"
          + " coalesce(CAST(:occurredAt AS timestamptz), now()), now(), CAST(:occurredAt AS timestamptz)"
          + " FROM users u, challenges c"
          + " WHERE %s AND c.id = :challengeId AND c.deleted_at IS NULL AND c.scoring = 'external'"
          + " RETURNING "
          + COLUMNS;

  private static final String RECORD_BY_ID = String.format(RECORD, "u.id = :user");
  private static final String RECORD_BY_NAME =
      String.format(RECORD, "lower(u.username) = lower(:user)");

  private static final RowMapper<Grading> GRADING_ROW =
      (rs, ctx) ->
          new Grading(
              rs.getString("status"),
              rs.getLong("challenge_id"),
              rs.getString("scoring"),
              rs.getBoolean("available"));

  /** What decides whether a grader may score an attempt. */
  record Grading(String status, long challengeId, String scoring, boolean available) {}

  private static final String LIST =
      "SELECT "
          + COLUMNS
          + " FROM attempts"
          + " WHERE user_id = :userId AND (CAST(:status AS text) IS NULL OR status = :status)"
          + " ORDER BY id DESC LIMIT :limit OFFSET :offset";

  private static final String COUNT =
      "SELECT count(*) FROM attempts"
          + " WHERE user_id = :userId AND (CAST(:status AS text) IS NULL OR status = :status)";

  static final RowMapper<Attempt> ATTEMPT =
      (rs, ctx) ->
          new Attempt(
              rs.getLong("id"),
              rs.getLong("challenge_id"),
              rs.getLong("user_id"),
              rs.getString("status"),
              rs.getObject("score", Integer.class),
              rs.getInt("xp_awarded"),
              instant(rs, "started_at"),
              instant(rs, "submitted_at"),
              instant(rs, "processed_at"));

  private final Jdbi jdbi;

  public AttemptDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<Attempt> start(long userId, long challengeId, boolean admin) {
    return jdbi.withHandle(
        h ->
            h.createQuery(START)
                .bind("userId", userId)
                .bind("challengeId", challengeId)
                .bind("admin", admin)
                .map(ATTEMPT)
                .findOne());
  }

  /**
   * The one transition the server makes; empty when the attempt is not the caller's or not {@code
   * started}.
   */
  public Optional<Attempt> submit(long id, long userId, int score, String scoring, boolean admin) {
    return jdbi.withHandle(
        h ->
            h.createQuery(SUBMIT)
                .bind("id", id)
                .bind("userId", userId)
                .bind("score", score)
                .bind("scoring", scoring)
                .bind("admin", admin)
                .map(ATTEMPT)
                .findOne());
  }

  /** The state a submit depends on; empty when the attempt is not the caller's. */
  public Optional<Submitting> submitting(long id, long userId, boolean admin) {
    return jdbi.withHandle(
        h ->
            h.createQuery(SUBMITTING)
                .bind("id", id)
                .bind("userId", userId)
                .bind("admin", admin)
                .map(SUBMITTING_ROW)
                .findOne());
  }

  /** A grader's score of an attempt; empty when it may not be scored (see {@link #grading}). */
  Optional<Attempt> grade(long id, int score) {
    return jdbi.withHandle(
        h -> h.createQuery(GRADE).bind("id", id).bind("score", score).map(ATTEMPT).findOne());
  }

  Optional<Grading> grading(long id) {
    return jdbi.withHandle(h -> h.createQuery(GRADING).bind("id", id).map(GRADING_ROW).findOne());
  }

  /**
   * Records a finished attempt of a user, named by id or by username; empty when the user or an
   * external, undeleted challenge is missing.
   */
  Optional<Attempt> record(Object user, long challengeId, int score, Instant occurredAt) {
    return jdbi.withHandle(
        h ->
            h.createQuery(user instanceof Long ? RECORD_BY_ID : RECORD_BY_NAME)
                .bind("user", user)
                .bind("challengeId", challengeId)
                .bind("score", score)
                .bindByType(
                    "occurredAt",
                    occurredAt == null ? null : occurredAt.atOffset(ZoneOffset.UTC),
                    OffsetDateTime.class)
                .map(ATTEMPT)
                .findOne());
  }

  /** Whether a user with this id or username exists. */
  boolean userExists(Object user) {
    String sql =
        user instanceof Long
            ? "SELECT count(*) FROM users WHERE id = :user"
            : "SELECT count(*) FROM users WHERE lower(username) = lower(:user)";
    return jdbi.withHandle(h -> h.createQuery(sql).bind("user", user).mapTo(long.class).one()) > 0;
  }

  /** The scoring of an undeleted challenge; empty when there is none. */
  Optional<String> scoringOf(long challengeId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT scoring FROM challenges WHERE id = :id AND deleted_at IS NULL")
                .bind("id", challengeId)
                .mapTo(String.class)
                .findOne());
  }

  public Optional<Attempt> find(long id, long userId) {
    return jdbi.withHandle(
        h -> h.createQuery(FIND).bind("id", id).bind("userId", userId).map(ATTEMPT).findOne());
  }

  /**
   * The caller's attempts, newest first, optionally of one status; {@code status} null means all.
   */
  public AttemptPage page(long userId, String status, int limit, int offset) {
    // one connection, two autocommit reads (as before): the total may be a step ahead of the page
    // under concurrent starts
    return jdbi.withHandle(
        h -> {
          List<Attempt> items =
              h.createQuery(LIST)
                  .bind("userId", userId)
                  .bind("status", status)
                  .bind("limit", limit)
                  .bind("offset", offset)
                  .map(ATTEMPT)
                  .list();
          long total =
              h.createQuery(COUNT)
                  .bind("userId", userId)
                  .bind("status", status)
                  .mapTo(long.class)
                  .one();
          return new AttemptPage(items, total, limit, offset);
        });
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
