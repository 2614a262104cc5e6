package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.server.SkillQuestServer;
import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.config.Config;
import io.skillquest.server.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The configured admin account and the admin role's life cycle. */
class AdminAccountTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  private static Config configWithAdmin(String username) {
    var env = new HashMap<String, String>(server.stores().toEnv());
    env.put("SKILLQUEST_PORT", "0");
    env.put("SKILLQUEST_JWT_SECRET", TestServer.JWT_SECRET);
    env.put("SKILLQUEST_ADMIN_USERNAME", username);
    env.put("SKILLQUEST_ADMIN_PASSWORD", "a-long-admin-password");
    env.put("SKILLQUEST_BCRYPT_COST", "4");
    env.put("SKILLQUEST_RUN_WORKER", "false");
    return Config.fromEnv(env);
  }

  private static String role(String username) {
    return server
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT role FROM users WHERE username = :u")
                    .bind("u", username)
                    .mapTo(String.class)
                    .one());
  }

  @Test
  void aNonAdminHoldingTheAdminNameStopsAProductionStart() {
    server.registerAndLogin("squatter");
    assertThatThrownBy(() -> SkillQuestServer.start(configWithAdmin("squatter").asProduction()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SKILLQUEST_ADMIN_USERNAME")
        .hasMessageContaining("non-admin");
    // outside production the server starts (with a warning) and promotes nobody
    try (var dev = SkillQuestServer.start(configWithAdmin("squatter"))) {
      assertThat(dev.port()).isPositive();
    }
    assertThat(role("squatter")).isEqualTo("user");
  }

  @Test
  void aDemotedAdminLosesWriteAccessAtOnce() {
    var boss = server.registerAndLogin("boss");
    server
        .jdbi()
        .useHandle(h -> h.execute("UPDATE users SET role = 'admin' WHERE id = ?", boss.userId()));
    var token = server.login("boss", TestServer.passwordOf("boss")).access();
    var challenge =
        Fixtures.json("title", "by boss", "xp", 10, "difficulty", "easy", "published", true);
    assertThat(server.post("/challenges", challenge, token).status()).isEqualTo(201);

    server
        .jdbi()
        .useHandle(h -> h.execute("UPDATE users SET role = 'user' WHERE id = ?", boss.userId()));
    var refused = server.post("/challenges", challenge, token);
    assertThat(refused.status()).as("the token still says admin").isEqualTo(403);
    assertThat(server.get("/challenges", token).status())
        .as("reads trust the token")
        .isEqualTo(200);
  }

  @Test
  void stillAnAdminWritesAsBefore() {
    assertThat(
            server
                .post(
                    "/challenges",
                    Map.of("title", "by admin", "xp", 5, "difficulty", "easy"),
                    server.adminToken())
                .status())
        .isEqualTo(201);
  }
}
