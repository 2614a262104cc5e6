package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.util.Optional;

/**
 * The first admin, created at start-up when the password is set and the user does not exist.
 *
 * @param username SKILLQUEST_ADMIN_USERNAME (admin)
 * @param password SKILLQUEST_ADMIN_PASSWORD (embedded mode generates one when unset)
 */
public record AdminAccount(String username, Optional<String> password) {

  public AdminAccount withPassword(String password) {
    return new AdminAccount(username, Optional.of(password));
  }

  static AdminAccount read(Env env, boolean production) {
    var username = env.string("SKILLQUEST_ADMIN_USERNAME", "admin");
    if (!username.matches("^[A-Za-z0-9_.-]{3,32}$")) {
      env.error("SKILLQUEST_ADMIN_USERNAME must match ^[A-Za-z0-9_.-]{3,32}$");
    }
    var password = env.value("SKILLQUEST_ADMIN_PASSWORD");
    if (password.isPresent() && (password.get().length() < 8 || password.get().length() > 128)) {
      env.error("SKILLQUEST_ADMIN_PASSWORD must be 8 to 128 characters");
    }
    if (production) {
      password
          .flatMap(Secrets::placeholder)
          .ifPresent(why -> env.error("SKILLQUEST_ADMIN_PASSWORD " + why));
    }
    return new AdminAccount(username, password);
  }
}
