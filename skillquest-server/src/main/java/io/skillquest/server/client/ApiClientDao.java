package io.skillquest.server.client;

import io.skillquest.store.SqlArray;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** API clients in SQL; the secret itself is never stored, only its key id and hash. */
public final class ApiClientDao {
  private static final String COLUMNS =
      "id, name, scopes, created_at, last_used_at, revoked_at IS NOT NULL AS revoked, revoked_at";

  private static final String INSERT =
      "INSERT INTO api_clients (name, scopes, key_id, secret_hash, created_by)"
          + " VALUES (:name, :scopes, :keyId, :hash, :createdBy) RETURNING "
          + COLUMNS;

  private static final String LIST = "SELECT " + COLUMNS + " FROM api_clients ORDER BY id";
  private static final String FIND = "SELECT " + COLUMNS + " FROM api_clients WHERE id = :id";

  /** Revoking twice keeps the first time: the audit trail says when it stopped working. */
  private static final String REVOKE =
      "UPDATE api_clients SET revoked_at = coalesce(revoked_at, now()) WHERE id = :id";

  /** The per-request lookup: one row by the unique key id index, never a scan. */
  private static final String CREDENTIAL =
      "SELECT id, name, scopes, secret_hash, revoked_at IS NOT NULL AS revoked"
          + " FROM api_clients WHERE key_id = :keyId";

  /** A no-op when another server instance already wrote a recent time. */
  private static final String TOUCH =
      "UPDATE api_clients SET last_used_at = now() WHERE id = :id"
          + " AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => :seconds))";

  /** What authenticating a request needs to know of a client. */
  record Credential(long id, String name, Set<String> scopes, byte[] hash, boolean revoked) {}

  private static final RowMapper<ApiClient> CLIENT =
      (rs, ctx) ->
          new ApiClient(
              rs.getLong("id"),
              rs.getString("name"),
              List.of(strings(rs.getArray("scopes"))),
              instant(rs, "created_at"),
              instant(rs, "last_used_at"),
              rs.getBoolean("revoked"),
              instant(rs, "revoked_at"));

  private static final RowMapper<Credential> CREDENTIAL_ROW =
      (rs, ctx) ->
          new Credential(
              rs.getLong("id"),
              rs.getString("name"),
              Set.of(strings(rs.getArray("scopes"))),
              rs.getBytes("secret_hash"),
              rs.getBoolean("revoked"));

  private final Jdbi jdbi;

  public ApiClientDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  ApiClient insert(String name, List<String> scopes, ClientSecret secret, long createdBy) {
    return jdbi.withHandle(
        h ->
            h.createQuery(INSERT)
                .bind("name", name)
                .bind("scopes", SqlArray.varchars(scopes))
                .bind("keyId", secret.keyId())
                .bind("hash", secret.hash())
                .bind("createdBy", createdBy)
                .map(CLIENT)
                .one());
  }

  List<ApiClient> list() {
    return jdbi.withHandle(h -> h.createQuery(LIST).map(CLIENT).list());
  }

  Optional<ApiClient> find(long id) {
    return jdbi.withHandle(h -> h.createQuery(FIND).bind("id", id).map(CLIENT).findOne());
  }

  /** Marks the client revoked; false when there is no such client. */
  boolean revoke(long id) {
    return jdbi.withHandle(h -> h.createUpdate(REVOKE).bind("id", id).execute()) > 0;
  }

  Optional<Credential> credential(String keyId) {
    return jdbi.withHandle(
        h -> h.createQuery(CREDENTIAL).bind("keyId", keyId).map(CREDENTIAL_ROW).findOne());
  }

  /** Records a use, unless one was recorded less than {@code seconds} ago. */
  void touch(long id, long seconds) {
    jdbi.useHandle(h -> h.createUpdate(TOUCH).bind("id", id).bind("seconds", seconds).execute());
  }

  private static String[] strings(Array array) throws SQLException {
    return (String[]) array.getArray();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
