package io.skillquest.server.http;

import java.time.Instant;

/** The signed-in caller, taken from a verified access token. */
public record Principal(
    long userId, String username, Role role, String jti, String familyId, Instant expiresAt) {
  public boolean admin() {
    return role == Role.ADMIN;
  }
}
