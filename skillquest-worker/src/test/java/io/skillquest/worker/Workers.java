package io.skillquest.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;

/** Workers for tests: the real thing, with periods short enough to watch. */
final class Workers {
  static final WorkerSettings FAST =
      WorkerSettings.defaults()
          .withGrace(Duration.ofSeconds(1), Duration.ofMillis(300))
          .withPeriods(Duration.ofMillis(300), Duration.ofMillis(500));

  private Workers() {}

  static Worker fast(StoreFixture stores) {
    return new Worker(stores.jdbi, stores.config, new SimpleMeterRegistry(), FAST);
  }
}
