package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.server.SkillQuestServer;
import io.skillquest.server.config.Config;
import io.skillquest.server.config.Limit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private static Map<String, String> external() {
    var env = new HashMap<String, String>();
    env.put("SKILLQUEST_DB_URL", "jdbc:postgresql://db:5432/skillquest");
    env.put("SKILLQUEST_DB_USER", "sq");
    env.put("SKILLQUEST_DB_PASSWORD", "pw");
    env.put("SKILLQUEST_REDIS_URL", "redis://redis:6379");
    env.put("SKILLQUEST_JWT_SECRET", SECRET);
    env.put("SKILLQUEST_CORS_ORIGINS", "https://app.example.com, https://admin.example.com");
    return env;
  }

  @Test
  void defaultsFollowTheSpec() {
    var c = Config.fromEnv(Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.embeddedMode()).isTrue();
    assertThat(c.runWorker()).isTrue();
    assertThat(c.stores().redisPrefix()).isEqualTo("skillquest:");
    assertThat(c.admin().username()).isEqualTo("admin");
    assertThat(c.admin().password()).isEmpty();
    assertThat(c.auth().loginFailureLimit()).isEqualTo(new Limit(10, Duration.ofMinutes(5)));
    assertThat(c.auth().authIpLimit()).isEqualTo(new Limit(300, Duration.ofMinutes(1)));
    assertThat(c.auth().bcryptCost()).isEqualTo(12);
    assertThat(c.management().port()).isEqualTo(9090);
    assertThat(c.management().bind()).isEqualTo("127.0.0.1");
    assertThat(c.management().metricsOnMainPort()).isFalse();
    assertThat(c.auth().loginIpLimit()).isEqualTo(new Limit(60, Duration.ofMinutes(1)));
    assertThat(c.auth().attemptStartLimit()).isEqualTo(new Limit(60, Duration.ofMinutes(1)));
    assertThat(c.auth().clientRateLimit()).isEqualTo(new Limit(1200, Duration.ofMinutes(1)));
    assertThat(c.auth().accountFailureCeiling()).isEqualTo(new Limit(100, Duration.ofMinutes(5)));
    assertThat(c.embedded().dataDir()).isEqualTo(Path.of("data", "skillquest"));
    assertThat(c.auth().jwtSecretGenerated()).isTrue();
    assertThat(c.auth().jwtSecret().bytes()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(c.http().corsOrigins()).isEmpty();
  }

  @Test
  void externalStoresAndEveryVariableAreRead() {
    var env = external();
    env.put("SKILLQUEST_PORT", "9090");
    env.put("SKILLQUEST_REDIS_PREFIX", "sq2:");
    env.put("SKILLQUEST_ADMIN_USERNAME", "root_admin");
    env.put("SKILLQUEST_ADMIN_PASSWORD", "long enough");
    env.put("SKILLQUEST_LOGIN_FAILURE_LIMIT", "5/30s");
    env.put("SKILLQUEST_AUTH_IP_LIMIT", "1000/1h");
    env.put("SKILLQUEST_DATA_DIR", "/var/lib/sq");
    env.put("SKILLQUEST_BCRYPT_COST", "10");
    var c = Config.fromEnv(env);
    assertThat(c.embeddedMode()).isFalse();
    assertThat(c.runWorker()).isFalse();
    assertThat(c.http().port()).isEqualTo(9090);
    var stores = c.stores().external().orElseThrow();
    assertThat(stores.dbUrl()).isEqualTo("jdbc:postgresql://db:5432/skillquest");
    assertThat(stores.dbUser()).isEqualTo("sq");
    assertThat(stores.dbPassword()).isEqualTo("pw");
    assertThat(stores.redisUrl()).isEqualTo("redis://redis:6379");
    assertThat(stores.redisPrefix()).isEqualTo("sq2:");
    assertThat(c.http().corsOrigins())
        .containsExactly("https://app.example.com", "https://admin.example.com");
    assertThat(c.admin().username()).isEqualTo("root_admin");
    assertThat(c.admin().password()).contains("long enough");
    assertThat(c.auth().loginFailureLimit()).isEqualTo(new Limit(5, Duration.ofSeconds(30)));
    assertThat(c.auth().authIpLimit()).isEqualTo(new Limit(1000, Duration.ofHours(1)));
    assertThat(c.embedded().dataDir()).isEqualTo(Path.of("/var/lib/sq"));
    assertThat(c.auth().bcryptCost()).isEqualTo(10);
    assertThat(c.auth().jwtSecretGenerated()).isFalse();
    assertThat(c.auth().jwtSecret().bytes()).isEqualTo(SECRET.getBytes());
  }

  @Test
  void limitsParse() {
    var env = new HashMap<String, String>();
    for (var bad : new String[] {"10", "ten/5m", "10/5x", "0/1m", "10/0m", "-1/1m", "10/"}) {
      env.put("SKILLQUEST_LOGIN_FAILURE_LIMIT", bad);
      assertThatThrownBy(() -> Config.fromEnv(env))
          .as(bad)
          .hasMessageContaining("SKILLQUEST_LOGIN_FAILURE_LIMIT");
    }
    env.put("SKILLQUEST_LOGIN_FAILURE_LIMIT", "3/m");
    assertThat(Config.fromEnv(env).auth().loginFailureLimit())
        .isEqualTo(new Limit(3, Duration.ofMinutes(1)));
    env.put("SKILLQUEST_LOGIN_FAILURE_LIMIT", " 20 / 500ms ");
    assertThat(Config.fromEnv(env).auth().loginFailureLimit())
        .isEqualTo(new Limit(20, Duration.ofMillis(500)));
  }

  @Test
  void productionNamesEveryMissingSetting() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("SKILLQUEST_ENV", "production")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SKILLQUEST_DB_URL")
        .hasMessageContaining("SKILLQUEST_DB_USER")
        .hasMessageContaining("SKILLQUEST_DB_PASSWORD")
        .hasMessageContaining("SKILLQUEST_REDIS_URL")
        .hasMessageContaining("SKILLQUEST_JWT_SECRET")
        .hasMessageContaining("SKILLQUEST_CORS_ORIGINS");
    var env = external();
    env.put("SKILLQUEST_ENV", "production");
    env.remove("SKILLQUEST_JWT_SECRET");
    assertThatThrownBy(() -> Config.fromEnv(env))
        .hasMessageContaining("SKILLQUEST_JWT_SECRET")
        .hasMessageNotContaining("SKILLQUEST_DB_URL");
  }

  @Test
  void productionRefusesTheShippedPlaceholders() {
    var env = external();
    env.put("SKILLQUEST_ENV", "production");
    env.put("SKILLQUEST_JWT_SECRET", "change-me-to-a-long-random-secret");
    env.put("SKILLQUEST_ADMIN_PASSWORD", "change-me");
    env.put("SKILLQUEST_DB_PASSWORD", "change-me");
    assertThatThrownBy(() -> Config.fromEnv(env))
        .hasMessageContainingAll(
            "SKILLQUEST_JWT_SECRET", "SKILLQUEST_ADMIN_PASSWORD", "SKILLQUEST_DB_PASSWORD")
        .hasMessageContaining("placeholder")
        .hasMessageNotContaining("long-random-secret");
  }

  @Test
  void productionRefusesAPredictableSigningKey() {
    var env = external();
    env.put("SKILLQUEST_ENV", "production");
    env.put("SKILLQUEST_JWT_SECRET", "abababababababababababababababababababab");
    assertThatThrownBy(() -> Config.fromEnv(env))
        .hasMessageContaining("SKILLQUEST_JWT_SECRET")
        .hasMessageContaining("predictable");
    env.put("SKILLQUEST_JWT_SECRET", "q7Vh2kR9xLm3Pz8Tw4Nb6Yc1Gf5Js0DeAuKoWiEr");
    assertThat(Config.fromEnv(env).production()).isTrue();
  }

  @Test
  void theShippedEnvironmentFileHoldsNoUsableSecret() throws Exception {
    var example =
        java.nio.file.Files.readAllLines(
            java.nio.file.Path.of("..", "deploy", "systemd", "skillquest.env.example"));
    for (var name :
        List.of("SKILLQUEST_JWT_SECRET", "SKILLQUEST_ADMIN_PASSWORD", "SKILLQUEST_DB_PASSWORD")) {
      assertThat(example).as(name).contains(name + "=");
    }
  }

  @Test
  void productionWithEverythingSetStarts() {
    var env = external();
    env.put("SKILLQUEST_ENV", "production");
    var c = Config.fromEnv(env);
    assertThat(c.production()).isTrue();
    assertThat(c.auth().bcryptCost()).isEqualTo(12);
    env.put("SKILLQUEST_CORS_ORIGINS", "");
    assertThat(Config.fromEnv(env).http().corsOrigins())
        .as("explicitly empty: no browser origins")
        .isEmpty();
    env.put("SKILLQUEST_BCRYPT_COST", "4");
    assertThatThrownBy(() -> Config.fromEnv(env)).hasMessageContaining("SKILLQUEST_BCRYPT_COST");
  }

  @Test
  void trustedProxiesAreAddressesOrBlocks() {
    var env = external();
    assertThat(Config.fromEnv(env).http().trustedProxies().isEmpty()).isTrue();
    env.put("SKILLQUEST_TRUSTED_PROXIES", "10.0.0.0/8,::1");
    assertThat(
            Config.fromEnv(env)
                .http()
                .trustedProxies()
                .client("10.1.1.1", java.util.List.of("198.51.100.4")))
        .isEqualTo("198.51.100.4");
    env.put("SKILLQUEST_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal");
    assertThatThrownBy(() -> Config.fromEnv(env))
        .hasMessageContaining("SKILLQUEST_TRUSTED_PROXIES")
        .hasMessageContaining("proxy.internal");
  }

  @Test
  void productionRefusesTheEmbeddedMode() {
    var c = Config.fromEnv(Map.of("SKILLQUEST_JWT_SECRET", SECRET));
    var production =
        new Config(
            true, c.http(), c.auth(), c.admin(), c.stores(), c.embedded(), c.management(), true);
    assertThatThrownBy(() -> SkillQuestServer.start(production)).hasMessageContaining("embedded");
  }

  @Test
  void shortJwtSecretIsRefused() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("SKILLQUEST_JWT_SECRET", "too-short")))
        .hasMessageContaining("SKILLQUEST_JWT_SECRET")
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining("too-short");
  }

  @Test
  void oneStoreWithoutTheOtherIsAMistake() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("SKILLQUEST_DB_URL", "jdbc:postgresql://db/x")))
        .hasMessageContaining("SKILLQUEST_REDIS_URL");
  }

  @Test
  void malformedValuesAreNamed() {
    var env = external();
    env.put("SKILLQUEST_PORT", "eighty");
    env.put("SKILLQUEST_DB_URL", "postgres://db/x");
    env.put("SKILLQUEST_CORS_ORIGINS", "app.example.com");
    env.put("SKILLQUEST_ADMIN_USERNAME", "bad name");
    env.put("SKILLQUEST_ADMIN_PASSWORD", "short");
    env.put("SKILLQUEST_RUN_WORKER", "maybe");
    assertThatThrownBy(() -> Config.fromEnv(env))
        .hasMessageContainingAll(
            "SKILLQUEST_PORT",
            "SKILLQUEST_DB_URL",
            "SKILLQUEST_CORS_ORIGINS",
            "SKILLQUEST_ADMIN_USERNAME",
            "SKILLQUEST_ADMIN_PASSWORD",
            "SKILLQUEST_RUN_WORKER");
  }

  @Test
  void toStringLeaksNoSecret() {
    var env = external();
    env.put("SKILLQUEST_ADMIN_PASSWORD", "admin-secret-pw");
    var text = Config.fromEnv(env).toString();
    assertThat(text).doesNotContain(SECRET).doesNotContain("admin-secret-pw").doesNotContain("=pw");
  }
}
