package io.skillquest.server.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code refresh_tokens}; {@code spentAt}/{@code revokedAt} are null while the token is
 * live.
 */
record RefreshToken(
    UUID jti, UUID familyId, long userId, Instant expiresAt, Instant spentAt, Instant revokedAt) {

  boolean spent() {
    return spentAt != null;
  }

  boolean revoked() {
    return revokedAt != null;
  }
}
