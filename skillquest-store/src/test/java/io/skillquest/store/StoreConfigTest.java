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
