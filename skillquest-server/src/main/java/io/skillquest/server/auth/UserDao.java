package io.skillquest.server.auth;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Accounts. Usernames and emails are unique case-insensitively (the lower() indexes in V1). */
final class UserDao {
  private static final String COLUMNS =
      "id, username, email, password_hash, role, time_zone, created_at";
  private static final String INSERT =
      """
      INSERT INTO users (username, email, password_hash, role, time_zone)
      VALUES (:username, :email, :passwordHash, :role, :timeZone) RETURNING \s"""
          + COLUMNS;
  private static final String BY_USERNAME =
      "SELECT " + COLUMNS + " FROM users WHERE lower(username) = lower(:username)";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = :id";

  private static final RowMapper<User> USER = ConstructorMapper.of(User.class);

  private final Jdbi jdbi;

  UserDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  User insert(String username, String email, String passwordHash, String role, String timeZone) {
    return jdbi.withHandle(
        h ->
            h.createQuery(INSERT)
                .bind("username", username)
                .bind("email", email)
                .bind("passwordHash", passwordHash)
                .bind("role", role)
                .bind("timeZone", timeZone)
                .map(USER)
                .one());
  }

  Optional<User> findByUsername(String username) {
    return jdbi.withHandle(
        h -> h.createQuery(BY_USERNAME).bind("username", username).map(USER).findOne());
  }

  Optional<User> findById(long id) {
    return jdbi.withHandle(h -> findById(h, id));
  }

  /** Inside a caller's transaction. */
  static Optional<User> findById(Handle h, long id) {
    return h.createQuery(BY_ID).bind("id", id).map(USER).findOne();
  }
}
