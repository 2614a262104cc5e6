package io.skillquest.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;

/** Workers for tests: the real thing, with periods short enough to watch. */
final class Workers {
  /** A one-second grace, and sweeps, backfills and upkeep a few times a second. */
  static final WorkerSettings FAST =
      new WorkerSettings(
          Duration.ofSeconds(1),
          Duration.ofMillis(300),
          WorkerSettings.defaults().batchSize(),
          Duration.ofMillis(300),
          Duration.ofMillis(500),
          0,
          WorkerSettings.defaults().metricsBind(),
          WorkerSettings.defaults().dbPoolSize(),
          WorkerSettings.defaults().threads());

  private Workers() {}

  static Worker fast(StoreFixture stores) {
    return new Worker(stores.jdbi, stores.config, new SimpleMeterRegistry(), FAST);
  }
}
