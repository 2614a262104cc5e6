package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void workerSettingsComeFromTheEnvironment() {
    var s =
        WorkerSettings.fromEnv(
            Map.of("SKILLQUEST_WORKER_GRACE_SECONDS", "3", "SKILLQUEST_WORKER_METRICS_PORT", "0"));
    assertThat(s.grace().toSeconds()).isEqualTo(3);
    assertThat(s.sweepInterval().toMillis()).isEqualTo(1000);
    assertThat(s.metricsPort()).isZero();
    assertThat(s.metricsBind()).as("only local scrapers by default").isEqualTo("127.0.0.1");
    assertThat(
            WorkerSettings.fromEnv(Map.of("SKILLQUEST_WORKER_METRICS_BIND", "0.0.0.0"))
                .metricsBind())
        .isEqualTo("0.0.0.0");
    assertThatThrownBy(() -> WorkerSettings.fromEnv(Map.of("SKILLQUEST_WORKER_BATCH_SIZE", "lots")))
        .hasMessageContaining("SKILLQUEST_WORKER_BATCH_SIZE");
    assertThat(s.periodBoards()).as("live period boards on by default").isTrue();
    assertThat(
            WorkerSettings.fromEnv(Map.of("SKILLQUEST_WORKER_PERIOD_BOARDS", "false"))
                .periodBoards())
        .isFalse();
    assertThatThrownBy(
            () -> WorkerSettings.fromEnv(Map.of("SKILLQUEST_WORKER_PERIOD_BOARDS", "sometimes")))
        .hasMessageContaining("SKILLQUEST_WORKER_PERIOD_BOARDS");
  }
}
