package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.SkillQuestServer.Route;
import io.skillquest.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Roles are enforced in one place for every route of the table, whoever wrote the handler. */
class RolesTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @BeforeAll
  static void start() {}

  private static List<Route> routesWith(Role role) {
    return server.server().routes().stream().filter(r -> r.roles().contains(role)).toList();
  }

  private static String concrete(String path) {
    return path.replaceAll("\\{[^}]+}", "1");
  }

  @Test
  void everyAdminRouteRefusesAnonymousAnd403sUsers() {
    var admin = routesWith(Role.ADMIN);
    assertThat(admin).as("admin routes in the table").isNotEmpty();
    var user = server.registerAndLogin("plainuser");
    for (var route : admin) {
      var body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
      var anonymous = server.call(route.method(), concrete(route.path()), body, null);
      assertThat(anonymous.status())
          .as("anonymous %s %s", route.method(), route.path())
          .isEqualTo(401);
      var nonAdmin = server.call(route.method(), concrete(route.path()), body, user.access());
      assertThat(nonAdmin.status()).as("user %s %s", route.method(), route.path()).isEqualTo(403);
    }
  }

  @Test
  void everyUserRouteRefusesAnonymous() {
    var userRoutes = routesWith(Role.USER);
    assertThat(userRoutes).isNotEmpty();
    for (var route : userRoutes) {
      var body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
      var anonymous = server.call(route.method(), concrete(route.path()), body, null);
      assertThat(anonymous.status())
          .as("anonymous %s %s", route.method(), route.path())
          .isEqualTo(401);
      assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
    }
  }

  @Test
  void everyGraderRouteRefusesAnonymous401AndPeople403() {
    var grader = routesWith(Role.GRADER);
    assertThat(grader).as("grader routes in the table").isNotEmpty();
    var user = server.registerAndLogin("notaclient");
    for (var route : grader) {
      var anonymous = server.call(route.method(), concrete(route.path()), "{}", null);
      assertThat(anonymous.status()).as("anonymous %s", route).isEqualTo(401);
      assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
      for (var token : List.of(user.access(), server.adminToken())) {
        var person = server.call(route.method(), concrete(route.path()), "{}", token);
        assertThat(person.status()).as("a person on %s", route).isEqualTo(403);
      }
    }
  }

  @Test
  void everyRouteDeclaresItsRole() {
    // a route without a role would be open by omission; the table must say ANYONE explicitly
    assertThat(server.server().routes())
        .allSatisfy(r -> assertThat(r.roles()).as(r.toString()).isNotEmpty());
  }

  @Test
  void adminsPassTheFilter() {
    var r = server.post("/challenges", "{}", server.adminToken());
    assertThat(r.status()).isNotIn(401, 403);
  }
}
