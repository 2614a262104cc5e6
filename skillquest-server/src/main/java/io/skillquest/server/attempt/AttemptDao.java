package io.skillquest.server.attempt;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
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
