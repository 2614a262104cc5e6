package io.skillquest.server.auth;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Accounts. Usernames and emails are unique case-insensitively (see the lower() indexes in V1). */
@RegisterConstructorMapper(User.class)
public interface UserDao {

  @SqlUpdate(
      "INSERT INTO users (username, email, password_hash, role, time_zone) "
          + "VALUES (:username, :email, :passwordHash, :role, :timeZone)")
  @GetGeneratedKeys({"id", "username", "email", "password_hash", "role", "time_zone", "created_at"})
  User insert(String username, String email, String passwordHash, String role, String timeZone);

  @SqlQuery(
      "SELECT id, username, email, password_hash, role, time_zone, created_at FROM users "
          + "WHERE lower(username) = lower(:username)")
  Optional<User> findByUsername(String username);

  @SqlQuery(
      "SELECT id, username, email, password_hash, role, time_zone, created_at FROM users WHERE id = :id")
  Optional<User> findById(long id);
}
