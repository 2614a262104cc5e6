package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The queue-length gauge: the worker's own when alone, the server's when they share a process. */
class WorkerMetricsTest {
  @Test
  void aWorkerAloneReportsTheQueueLengthItLastRead() {
    var registry = new SimpleMeterRegistry();
    new WorkerMetrics(registry).queueLength(7);
    assertThat(registry.get("skillquest.queue.length").gauge().value()).isEqualTo(7);
  }

  @Test
  void hostedBesideTheServerTheServersGaugeStands() {
    var registry = new SimpleMeterRegistry();
    Gauge.builder("skillquest.queue.length", () -> 3).register(registry);
    new WorkerMetrics(registry).queueLength(7);
    assertThat(registry.find("skillquest.queue.length").gauges()).hasSize(1);
    assertThat(registry.get("skillquest.queue.length").gauge().value()).isEqualTo(3);
  }
}
