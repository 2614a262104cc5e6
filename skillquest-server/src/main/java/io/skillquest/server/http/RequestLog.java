package io.skillquest.server.http;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line and one timer sample per request. Logs the path (never the query string,
 * headers or body, so tokens and passwords cannot leak) and tags metrics with the route template,
 * not the raw path, so ids do not explode the number of series.
 */
public final class RequestLog implements RequestLogger {
  private static final Logger log = LoggerFactory.getLogger("io.skillquest.server.requests");
  private final MeterRegistry registry;
  // one timer per series, looked up rather than built and registered on every request; bounded
  // because the
  // route is a template (or "unmatched") and methods and statuses are few
  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

  private record Series(String method, String route, int status) {}

  public RequestLog(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Context ctx, Float executionTimeMs) {
    var method = ctx.method().name();
    int status = ctx.statusCode();
    timers
        .computeIfAbsent(new Series(method, route(ctx), status), this::timer)
        .record((long) (executionTimeMs * 1_000_000L), TimeUnit.NANOSECONDS);
    if (log.isInfoEnabled()) {
      Principal principal = ctx.attribute(Auth.ATTRIBUTE);
      log.info(
          "request method={} path={} status={} duration_ms={} user_id={}",
          method,
          ctx.path(),
          status,
          tenths(executionTimeMs),
          principal == null ? "-" : Long.toString(principal.userId()));
    }
  }

  private Timer timer(Series s) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests by method, route template and status")
        .tag("method", s.method())
        .tag("route", s.route())
        .tag("status", Integer.toString(s.status()))
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /**
   * Milliseconds with one decimal, as {@code String.format("%.1f")} would print them, without a
   * Formatter.
   */
  static String tenths(float ms) {
    long t = Math.round((double) ms * 10);
    return (t / 10) + "." + (t % 10);
  }

  static String route(Context ctx) {
    try {
      var endpoint = ctx.endpoints().lastHttpEndpoint();
      var path = endpoint == null ? null : endpoint.path;
      return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
