package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The access log line and metrics, as a reader of logs and dashboards relies on them. */
class RequestLogTest {
  @Test
  void durationPrintsLikeFormatWithOneDecimal() {
    for (float ms :
        new float[] {0f, 0.04f, 0.05f, 0.5f, 1.25f, 3.14159f, 12.96f, 999.99f, 12345.6f}) {
      assertThat(RequestLog.tenths(ms))
          .as("%s ms", ms)
          .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", ms));
    }
  }
}
