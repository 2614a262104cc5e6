package io.skillquest.server.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Refresh tokens by jti; a family is one login and every rotation of it. */
@RegisterConstructorMapper(RefreshToken.class)
interface RefreshTokenDao {

  @SqlUpdate(
      "INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at) VALUES (:jti, :familyId, :userId, :expiresAt)")
  void insert(UUID jti, UUID familyId, long userId, Instant expiresAt);

  /**
   * Serialises rotations and revocations of one login until the transaction ends, so a revocation
   * cannot miss a successor token that a concurrent rotation is inserting.
   */
  @SqlQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(CAST(:familyId AS text), 0))")
  int lockFamily(UUID familyId);

  /** Locks the row so two concurrent refreshes of one token cannot both succeed. */
  @SqlQuery(
      "SELECT jti, family_id, user_id, expires_at, spent_at, revoked_at FROM refresh_tokens WHERE jti = :jti FOR UPDATE")
  Optional<RefreshToken> lock(UUID jti);

  @SqlUpdate("UPDATE refresh_tokens SET spent_at = now() WHERE jti = :jti AND spent_at IS NULL")
  int spend(UUID jti);

  @SqlUpdate(
      "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = :familyId AND revoked_at IS NULL")
  int revokeFamily(UUID familyId);

  /** Rows past expiry prove nothing any more (the JWT itself is expired); keeps the table small. */
  @SqlUpdate("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'")
  int deleteExpired();
}
