package io.skillquest.server.badge;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Badge.class)
public interface BadgeDao {
  String COLUMNS = "id, name, description, condition::text AS condition, icon_url, created_at";

  @SqlQuery("SELECT " + COLUMNS + " FROM badges ORDER BY id")
  List<Badge> list();

  @SqlQuery("SELECT " + COLUMNS + " FROM badges WHERE id = :id")
  Optional<Badge> find(long id);

  /**
   * A new badge starts at revision 1 > backfilled_revision 0, so the worker backfills it
   * retroactively.
   */
  @SqlQuery(
      "INSERT INTO badges (name, description, condition, icon_url)"
          + " VALUES (:name, :description, CAST(:condition AS jsonb), :iconUrl)"
          + " RETURNING "
          + COLUMNS)
  Badge insert(@BindMethods BadgeChanges b);

  /**
   * A changed condition bumps {@code revision}: the worker's backfill pass then awards it
   * retroactively.
   */
  @SqlQuery(
      "UPDATE badges SET"
          + " name = COALESCE(CAST(:name AS text), name),"
          + " description = COALESCE(CAST(:description AS text), description),"
          + " revision = CASE WHEN CAST(:condition AS jsonb) IS DISTINCT FROM condition"
          + "                  AND CAST(:condition AS jsonb) IS NOT NULL THEN revision + 1 ELSE revision END,"
          + " condition = COALESCE(CAST(:condition AS jsonb), condition),"
          + " icon_url = CASE WHEN :setIconUrl THEN CAST(:iconUrl AS text) ELSE icon_url END,"
          + " updated_at = now()"
          + " WHERE id = :id"
          + " RETURNING "
          + COLUMNS)
  Optional<Badge> update(long id, @BindMethods BadgeChanges b);

  @SqlUpdate("DELETE FROM badges WHERE id = :id")
  boolean delete(long id);
}
