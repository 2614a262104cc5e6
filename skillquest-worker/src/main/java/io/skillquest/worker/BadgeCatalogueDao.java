package io.skillquest.worker;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The badges as stored, for {@link BadgeCatalogue}; runs on the caller's handle. */
final class BadgeCatalogueDao {

  /** A badge's stored condition JSON as of {@code revision}, not yet parsed. */
  record StoredBadge(long id, int revision, String condition) {}

  private static final String ALL =
      "SELECT id, revision, condition::text AS condition FROM badges ORDER BY id";

  private static final RowMapper<StoredBadge> STORED_BADGE =
      (rs, ctx) ->
          new StoredBadge(rs.getLong("id"), rs.getInt("revision"), rs.getString("condition"));

  private BadgeCatalogueDao() {}

  /** Every badge, by id. */
  static List<StoredBadge> all(Handle h) {
    return h.createQuery(ALL).map(STORED_BADGE).list();
  }
}
