package io.skillquest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The worker's scrape endpoint listens where the settings say: loopback unless told otherwise. */
class MetricsEndpointTest {
  @Test
  void theDefaultBindIsLoopbackOnly() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("skillquest_probe").increment();
    try (var endpoint = new MetricsEndpoint(registry, WorkerSettings.defaults().metricsBind(), 0)) {
      assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
      assertThat(endpoint.address().getAddress().isAnyLocalAddress()).isFalse();
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("skillquest_probe");
    }
  }
}
