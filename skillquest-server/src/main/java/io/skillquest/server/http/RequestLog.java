package io.skillquest.server.http;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line and one timer sample per request. Logs the path (never the query string, headers
 * or body, so tokens and passwords cannot leak) and tags metrics with the route template, not the raw
 * path, so ids do not explode the number of series.
 */
public final class RequestLog implements RequestLogger {
    private static final Logger log = LoggerFactory.getLogger("io.skillquest.server.requests");
    private final MeterRegistry registry;

    public RequestLog(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(Context ctx, Float executionTimeMs) {
        long nanos = (long) (executionTimeMs * 1_000_000L);
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests by method, route template and status")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        var user = Auth.optionalPrincipal(ctx).map(p -> Long.toString(p.userId())).orElse("-");
        log.info("request method={} path={} status={} duration_ms={} user_id={}", ctx.method().name(), ctx.path(),
                status, String.format("%.1f", executionTimeMs), user);
    }

    static String route(Context ctx) {
        try {
            var path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
