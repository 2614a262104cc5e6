package io.skillquest.server.challenge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The challenge catalogue in SQL. A plain class over {@link Jdbi} with a prebuilt {@link RowMapper}
 * rather than a SqlObject interface: listing the catalogue is a hot read, and an on-demand
 * SqlObject call costs about four times the CPU of the same query (configuration lookups and a
 * constructor mapper built per call).
 */
public final class ChallengeDao {
  static final String COLUMNS =
      "id, title, description, xp, difficulty, tags, pass_score, published, scoring, quiz_version,"
          + " questions, created_at, updated_at";

  /** Reads stored quizzes; they were validated when written, so any plain mapper will do. */
  private static final ObjectMapper QUESTIONS = new ObjectMapper();

  /** Deleted challenges are gone for everyone; unpublished ones only for non-admins. */
  private static final String VISIBLE = "deleted_at IS NULL AND (published OR :admin)";

  private static final String FILTER =
      " AND (CAST(:difficulty AS text) IS NULL OR difficulty = :difficulty)"
          + " AND (CAST(:tag AS text) IS NULL OR tags @> ARRAY[CAST(:tag AS text)])";

  private static final String LIST =
      "SELECT "
          + COLUMNS
          + " FROM challenges WHERE "
          + VISIBLE
          + FILTER
          + " ORDER BY id LIMIT :limit OFFSET :offset";

  private static final String COUNT = "SELECT count(*) FROM challenges WHERE " + VISIBLE + FILTER;

  private static final String FIND =
      "SELECT " + COLUMNS + " FROM challenges WHERE id = :id AND " + VISIBLE;

  /**
   * Every quiz a statement leaves on a challenge is also kept as a version, so attempts started on
   * it can still be scored against it after an edit; an unchanged version already exists.
   */
  private static final String KEEP_VERSION =
      ", v AS (INSERT INTO challenge_quiz_versions (challenge_id, version, questions)"
          + " SELECT id, quiz_version, questions FROM c WHERE questions IS NOT NULL"
          + " ON CONFLICT DO NOTHING)"
          + " SELECT "
          + COLUMNS
          + " FROM c";

  private static final String INSERT =
      "WITH c AS (INSERT INTO challenges"
          + " (title, description, xp, difficulty, tags, pass_score, published, scoring, questions,"
          + " quiz_version, created_by)"
          + " VALUES (:title, :description, :xp, :difficulty, CAST(:tags AS text[]), :passScore,"
          + " :published, :scoring, CAST(:questions AS jsonb),"
          + " CASE WHEN CAST(:questions AS text) IS NULL THEN NULL ELSE 1 END, :createdBy)"
          + " RETURNING "
          + COLUMNS
          + ")"
          + KEEP_VERSION;

  private static final String NEW_SCORING = "COALESCE(CAST(:scoring AS text), scoring)";

  /** Leaving {@code quiz} drops the questions; new, different questions bump the version. */
  private static final String UPDATE =
      "WITH c AS (UPDATE challenges SET"
          + " title = COALESCE(CAST(:title AS text), title),"
          + " description = COALESCE(CAST(:description AS text), description),"
          + " xp = COALESCE(CAST(:xp AS integer), xp),"
          + " difficulty = COALESCE(CAST(:difficulty AS text), difficulty),"
          + " tags = COALESCE(CAST(:tags AS text[]), tags),"
          + " pass_score = COALESCE(CAST(:passScore AS integer), pass_score),"
          + " published = COALESCE(CAST(:published AS boolean), published),"
          + " scoring = "
          + NEW_SCORING
          + ", questions = CASE WHEN "
          + NEW_SCORING
          + " <> 'quiz' THEN NULL ELSE COALESCE(CAST(:questions AS jsonb), questions) END,"
          + " quiz_version = CASE WHEN "
          + NEW_SCORING
          + " = 'quiz' AND CAST(:questions AS jsonb) IS NOT NULL"
          + " AND CAST(:questions AS jsonb) IS DISTINCT FROM questions"
          + " THEN COALESCE(quiz_version, 0) + 1 ELSE quiz_version END,"
          + " updated_at = now()"
          + " WHERE id = :id AND deleted_at IS NULL"
          + " RETURNING "
          + COLUMNS
          + ")"
          + KEEP_VERSION;

  /** Soft delete: attempts and the XP they paid keep pointing at the row. */
  private static final String DELETE =
      "UPDATE challenges SET deleted_at = now(), updated_at = now()"
          + " WHERE id = :id AND deleted_at IS NULL";

  static final RowMapper<Challenge> CHALLENGE =
      (rs, ctx) ->
          new Challenge(
              rs.getLong("id"),
              rs.getString("title"),
              rs.getString("description"),
              rs.getInt("xp"),
              rs.getString("difficulty"),
              tags(rs),
              rs.getInt("pass_score"),
              rs.getBoolean("published"),
              rs.getString("scoring"),
              rs.getObject("quiz_version", Integer.class),
              questions(rs),
              instant(rs, "created_at"),
              instant(rs, "updated_at"));

  private final Jdbi jdbi;

  public ChallengeDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One page and the total count, on one connection (two autocommit reads). */
  public ChallengePage page(boolean admin, String difficulty, String tag, int limit, int offset) {
    return jdbi.withHandle(
        h -> {
          var items =
              h.createQuery(LIST)
                  .bind("admin", admin)
                  .bind("difficulty", difficulty)
                  .bind("tag", tag)
                  .bind("limit", limit)
                  .bind("offset", offset)
                  .map(CHALLENGE)
                  .list();
          long total =
              h.createQuery(COUNT)
                  .bind("admin", admin)
                  .bind("difficulty", difficulty)
                  .bind("tag", tag)
                  .mapTo(long.class)
                  .one();
          return new ChallengePage(items, total, limit, offset);
        });
  }

  public Optional<Challenge> find(long id, boolean admin) {
    return jdbi.withHandle(
        h -> h.createQuery(FIND).bind("id", id).bind("admin", admin).map(CHALLENGE).findOne());
  }

  public Challenge insert(ChallengeChanges c, long createdBy) {
    return jdbi.withHandle(
        h ->
            h.createQuery(INSERT).bindMethods(c).bind("createdBy", createdBy).map(CHALLENGE).one());
  }

  public Optional<Challenge> update(long id, ChallengeChanges c) {
    return jdbi.withHandle(
        h -> h.createQuery(UPDATE).bindMethods(c).bind("id", id).map(CHALLENGE).findOne());
  }

  public boolean delete(long id) {
    return jdbi.withHandle(h -> h.createUpdate(DELETE).bind("id", id).execute()) > 0;
  }

  private static List<String> tags(ResultSet rs) throws SQLException {
    var array = rs.getArray("tags");
    try {
      return Arrays.asList((String[]) array.getArray());
    } finally {
      array.free();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> questions(ResultSet rs) throws SQLException {
    var text = rs.getString("questions");
    if (text == null) {
      return null;
    }
    try {
      return QUESTIONS.readValue(text, List.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable quiz in challenge " + rs.getLong("id"), e);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
