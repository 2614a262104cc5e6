package io.skillquest.server.badge;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Badges as stored; names are unique ignoring case (index badges_name_key). */
public final class BadgeDao {
  private static final String COLUMNS =
      "id, name, description, condition::text AS condition, icon_url, created_at";
  private static final String LIST = "SELECT " + COLUMNS + " FROM badges ORDER BY id";
  private static final String FIND = "SELECT " + COLUMNS + " FROM badges WHERE id = :id";

  /** A new badge starts at revision 1 > backfilled_revision 0, so the worker backfills it. */
  private static final String INSERT =
      """
      INSERT INTO badges (name, description, condition, icon_url)
      VALUES (:name, :description, CAST(:condition AS jsonb), :iconUrl) RETURNING \s"""
          + COLUMNS;

  /** A changed condition bumps {@code revision}: the worker's backfill pass then awards it. */
  private static final String UPDATE =
      """
      UPDATE badges SET
        name = COALESCE(CAST(:name AS text), name),
        description = COALESCE(CAST(:description AS text), description),
        revision = CASE WHEN CAST(:condition AS jsonb) IS DISTINCT FROM condition
                         AND CAST(:condition AS jsonb) IS NOT NULL THEN revision + 1 ELSE revision END,
        condition = COALESCE(CAST(:condition AS jsonb), condition),
        icon_url = CASE WHEN :setIconUrl THEN CAST(:iconUrl AS text) ELSE icon_url END,
        updated_at = now()
      WHERE id = :id RETURNING \s"""
          + COLUMNS;

  private static final String DELETE = "DELETE FROM badges WHERE id = :id";

  private static final RowMapper<Badge> BADGE = ConstructorMapper.of(Badge.class);

  private final Jdbi jdbi;

  public BadgeDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<Badge> list() {
    return jdbi.withHandle(h -> h.createQuery(LIST).map(BADGE).list());
  }

  public Optional<Badge> find(long id) {
    return jdbi.withHandle(h -> h.createQuery(FIND).bind("id", id).map(BADGE).findOne());
  }

  public Badge insert(BadgeChanges b) {
    return jdbi.withHandle(h -> h.createQuery(INSERT).bindMethods(b).map(BADGE).one());
  }

  public Optional<Badge> update(long id, BadgeChanges b) {
    return jdbi.withHandle(
        h -> h.createQuery(UPDATE).bind("id", id).bindMethods(b).map(BADGE).findOne());
  }

  public boolean delete(long id) {
    return jdbi.withHandle(h -> h.createUpdate(DELETE).bind("id", id).execute() > 0);
  }
}
