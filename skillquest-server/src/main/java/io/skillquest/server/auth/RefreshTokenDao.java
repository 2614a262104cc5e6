package io.skillquest.server.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Refresh tokens by jti; a family is one login and every rotation of it. Every method runs on the
 * caller's handle, so rotations and revocations compose into one transaction.
 */
final class RefreshTokenDao {
  private static final String INSERT =
      """
      INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at)
      VALUES (:jti, :familyId, :userId, :expiresAt)""";
  private static final String LOCK_FAMILY =
      "SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(CAST(:familyId AS text), 0))";
  private static final String LOCK =
      """
      SELECT jti, family_id, user_id, expires_at, spent_at, revoked_at
      FROM refresh_tokens WHERE jti = :jti FOR UPDATE""";
  private static final String SPEND =
      "UPDATE refresh_tokens SET spent_at = now() WHERE jti = :jti AND spent_at IS NULL";
  private static final String REVOKE_FAMILY =
      "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = :familyId AND revoked_at IS NULL";
  private static final String DELETE_EXPIRED =
      "DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'";

  private static final RowMapper<RefreshToken> TOKEN = ConstructorMapper.of(RefreshToken.class);

  private RefreshTokenDao() {}

  static void insert(Handle h, UUID jti, UUID familyId, long userId, Instant expiresAt) {
    h.createUpdate(INSERT)
        .bind("jti", jti)
        .bind("familyId", familyId)
        .bind("userId", userId)
        .bind("expiresAt", expiresAt)
        .execute();
  }

  /**
   * Serialises rotations and revocations of one login until the transaction ends, so a revocation
   * cannot miss a successor token that a concurrent rotation is inserting.
   */
  static void lockFamily(Handle h, UUID familyId) {
    h.createQuery(LOCK_FAMILY).bind("familyId", familyId).mapTo(Integer.class).one();
  }

  /** Locks the row so two concurrent refreshes of one token cannot both succeed. */
  static Optional<RefreshToken> lock(Handle h, UUID jti) {
    return h.createQuery(LOCK).bind("jti", jti).map(TOKEN).findOne();
  }

  static int spend(Handle h, UUID jti) {
    return h.createUpdate(SPEND).bind("jti", jti).execute();
  }

  static int revokeFamily(Handle h, UUID familyId) {
    return h.createUpdate(REVOKE_FAMILY).bind("familyId", familyId).execute();
  }

  /** Rows past expiry prove nothing any more (the JWT itself is expired); keeps the table small. */
  static int deleteExpired(Handle h) {
    return h.createUpdate(DELETE_EXPIRED).execute();
  }
}
