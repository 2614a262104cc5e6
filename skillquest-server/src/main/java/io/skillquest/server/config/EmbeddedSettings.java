package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.nio.file.Path;

/**
 * The embedded mode's real PostgreSQL and Redis, started when no external stores are configured.
 *
 * @param dataDir SKILLQUEST_DATA_DIR: their data and the generated secrets (mode 600)
 * @param postgresPort SKILLQUEST_EMBEDDED_PG_PORT (5433; a free one if taken)
 * @param redisPort SKILLQUEST_EMBEDDED_REDIS_PORT (6380; a free one if taken)
 */
public record EmbeddedSettings(Path dataDir, int postgresPort, int redisPort) {
  public static final Path DEFAULT_DATA_DIR = Path.of("data", "skillquest");

  static EmbeddedSettings read(Env env) {
    return new EmbeddedSettings(
        env.value("SKILLQUEST_DATA_DIR").map(Path::of).orElse(DEFAULT_DATA_DIR),
        env.integer("SKILLQUEST_EMBEDDED_PG_PORT", 5433, 0, 65535),
        env.integer("SKILLQUEST_EMBEDDED_REDIS_PORT", 6380, 0, 65535));
  }
}
