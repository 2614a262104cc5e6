package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

  @Test
  void readsTheServersVariablesWithTheDefaultPrefix() {
    var c =
        StoreConfig.fromEnv(
            Map.of(
                "SKILLQUEST_DB_URL",
                "jdbc:postgresql://db:5432/sq",
                "SKILLQUEST_DB_USER",
                "sq",
                "SKILLQUEST_DB_PASSWORD",
                "secret",
                "SKILLQUEST_REDIS_URL",
                "redis://r:6379"));
    assertThat(c.redisPrefix()).isEqualTo("skillquest:");
    assertThat(c.keys().queue()).isEqualTo("skillquest:queue:awards");
    assertThat(c.dbUser()).isEqualTo("sq");
  }

  @Test
  void namesEveryMissingVariable() {
    assertThatThrownBy(() -> StoreConfig.fromEnv(Map.of()))
        .hasMessageContaining("SKILLQUEST_DB_URL")
        .hasMessageContaining("SKILLQUEST_REDIS_URL");
    assertThatThrownBy(
            () -> StoreConfig.fromEnv(Map.of("SKILLQUEST_DB_URL", "jdbc:postgresql://x/y")))
        .hasMessageContaining("SKILLQUEST_REDIS_URL is required");
  }

  @Test
  void aMalformedRedisUrlIsAStartupErrorNamingTheVariable() {
    var env = new java.util.HashMap<String, String>();
    env.put("SKILLQUEST_DB_URL", "jdbc:postgresql://db/sq");
    env.put("SKILLQUEST_REDIS_URL", "redis-cluster://a:1,b:notaport");
    env.put("SKILLQUEST_REDIS_PREFIX", "{sq}:");
    assertThatThrownBy(() -> StoreConfig.fromEnv(env))
        .hasMessageContaining("SKILLQUEST_REDIS_URL has a port that is not 1-65535: b:notaport")
        .hasMessageContaining("redis-sentinel://")
        .hasMessageContaining("SKILLQUEST_REDIS_PREFIX may not contain");
    var twice = new Env(env);
    StoreConfig.read(twice);
    StoreConfig.prefix(twice);
    assertThatThrownBy(twice::validate)
        .message()
        .satisfies(
            m ->
                assertThat(m.split("SKILLQUEST_REDIS_PREFIX may not", -1))
                    .as("reported once")
                    .hasSize(2));
  }

  @Test
  void clusterAndSentinelUrlsAreAccepted() {
    for (var url :
        new String[] {"redis-cluster://a:7000,b:7001", "redis-sentinel://s1,s2:26380/main"}) {
      var c =
          StoreConfig.fromEnv(
              Map.of("SKILLQUEST_DB_URL", "jdbc:postgresql://db/sq", "SKILLQUEST_REDIS_URL", url));
      assertThat(c.redisUrl()).isEqualTo(url);
    }
    var withPassword =
        new StoreConfig("jdbc:postgresql://db/sq", "", "", "redis-cluster://u:pw-1@a:1,b:2", null);
    assertThat(withPassword.toString()).doesNotContain("pw-1").contains("a:1,b:2");
  }

  @Test
  void neverPrintsPasswords() {
    var c =
        new StoreConfig(
            "jdbc:postgresql://db/sq", "sq", "db-secret", "redis://:redis-secret@r:6379", null);
    assertThat(c.toString()).doesNotContain("db-secret").doesNotContain("redis-secret");
    var inUrl =
        new StoreConfig(
            "jdbc:postgresql://db/sq?user=sq&password=url-secret&ssl=true",
            "",
            "",
            "redis://r:6379",
            null);
    assertThat(inUrl.toString()).doesNotContain("url-secret").contains("ssl=true");
  }
}
