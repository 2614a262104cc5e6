package io.skillquest.server.auth;

import java.time.Instant;

/** A row of {@code users} as the auth code needs it; {@link #view()} is what the API shows. */
public record User(
    long id,
    String username,
    String email,
    String passwordHash,
    String role,
    String timeZone,
    Instant createdAt) {

  public static final String ROLE_USER = "user";
  public static final String ROLE_ADMIN = "admin";

  public UserView view() {
    return new UserView(id, username, email, role, timeZone, createdAt);
  }

  /** The user on the wire: never the password hash. */
  public record UserView(
      long id, String username, String email, String role, String timeZone, Instant createdAt) {}
}
