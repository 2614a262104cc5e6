package io.skillquest.server.challenge;

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
      "id, title, description, xp, difficulty, tags, pass_score, published, created_at, updated_at";

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

  private static final String INSERT =
      "INSERT INTO challenges"
          + " (title, description, xp, difficulty, tags, pass_score, published, created_by)"
          + " VALUES (:title, :description, :xp, :difficulty, CAST(:tags AS text[]), :passScore, :published, :createdBy)"
          + " RETURNING "
          + COLUMNS;

  private static final String UPDATE =
      "UPDATE challenges SET"
          + " title = COALESCE(CAST(:title AS text), title),"
          + " description = COALESCE(CAST(:description AS text), description),"
          + " xp = COALESCE(CAST(:xp AS integer), xp),"
          + " difficulty = COALESCE(CAST(:difficulty AS text), difficulty),"
          + " tags = COALESCE(CAST(:tags AS text[]), tags),"
          + " pass_score = COALESCE(CAST(:passScore AS integer), pass_score),"
          + " published = COALESCE(CAST(:published AS boolean), published),"
          + " updated_at = now()"
          + " WHERE id = :id AND deleted_at IS NULL"
          + " RETURNING "
          + COLUMNS;

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

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
