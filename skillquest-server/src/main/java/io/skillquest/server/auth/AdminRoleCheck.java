package io.skillquest.server.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Re-reads the caller's role from the database before an admin route that changes something, run
 * after {@link AuthFilter}. An access token states the role it was issued with for up to 30
 * minutes; a demoted admin must lose the power to write at once. Reads keep trusting the token, so
 * this costs one primary-key lookup per admin write and nothing per read.
 */
public final class AdminRoleCheck {
  private static final Set<HandlerType> READS =
      Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  private final UserDao users;

  public AdminRoleCheck(Jdbi jdbi) {
    this.users = new UserDao(jdbi);
  }

  public void check(Context ctx) {
    if (!ctx.routeRoles().contains(Role.ADMIN) || READS.contains(ctx.method())) {
      return;
    }
    var principal = Auth.optionalPrincipal(ctx);
    if (principal.isEmpty() || !principal.get().admin()) {
      return; // AuthFilter has already refused this caller
    }
    boolean stillAdmin =
        users
            .findById(principal.get().userId())
            .map(u -> User.ROLE_ADMIN.equals(u.role()))
            .orElse(false);
    if (!stillAdmin) {
      throw Problem.forbidden("administrators only");
    }
  }
}
