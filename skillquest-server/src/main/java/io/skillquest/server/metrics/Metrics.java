package io.skillquest.server.metrics;

import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus registry with JVM metrics bound, and the GET /metrics scrape handler. */
public final class Metrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Metrics() {}

  /** The returned GC binder must be closed at shutdown (it holds JMX listeners). */
  public static Registry create() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    var gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new Registry(registry, gc);
  }

  public record Registry(PrometheusMeterRegistry prometheus, JvmGcMetrics gc)
      implements AutoCloseable {
    @Override
    public void close() {
      gc.close();
      prometheus.close();
    }
  }

  public static void scrape(Context ctx, PrometheusMeterRegistry registry) {
    ctx.contentType(CONTENT_TYPE).result(registry.scrape());
  }
}
