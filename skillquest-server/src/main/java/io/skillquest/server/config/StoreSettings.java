package io.skillquest.server.config;

import io.skillquest.store.Env;
import io.skillquest.store.StoreConfig;
import java.util.Optional;

/**
 * Which PostgreSQL and Redis the server uses.
 *
 * @param external the stores SKILLQUEST_DB_URL and SKILLQUEST_REDIS_URL name; empty in the embedded
 *     mode (neither set), where the server starts its own
 * @param redisPrefix SKILLQUEST_REDIS_PREFIX, for the embedded Redis too
 * @param poolSize SKILLQUEST_DB_POOL_SIZE (10), the server's connection pool
 */
public record StoreSettings(Optional<StoreConfig> external, String redisPrefix, int poolSize) {

  /** Same settings, with the stores the embedded mode started. */
  public StoreSettings withExternal(StoreConfig stores) {
    return new StoreSettings(Optional.of(stores), redisPrefix, poolSize);
  }

  static StoreSettings read(Env env, boolean production) {
    var external = StoreConfig.read(env);
    if (production) {
      env.value("SKILLQUEST_DB_PASSWORD")
          .flatMap(Secrets::placeholder)
          .ifPresent(why -> env.error("SKILLQUEST_DB_PASSWORD " + why));
    }
    return new StoreSettings(
        external, StoreConfig.prefix(env), env.integer("SKILLQUEST_DB_POOL_SIZE", 10, 1, 200));
  }
}
