package io.skillquest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load, like {@code wrk}: N connections, each sending its next request as soon as the
 * previous one is answered, for a fixed time. It measures the ceiling throughput of a path; its
 * latencies are those at that ceiling and, unlike {@link OpenLoop}'s, hide stalls (coordinated
 * omission), so only the throughput is compared.
 *
 * <p>Bounded: every connection stops at the deadline; a connection that failed is reopened at most
 * once per request, and a run whose requests all fail ends at the deadline too.
 */
final class ClosedLoop {

  /** Completed requests per second over the measured window, and their latencies. */
  record Result(
      String name,
      int connections,
      long ok,
      long errors,
      double perSecond,
      Histogram latencyMicros,
      Map<Integer, Long> statuses,
      String firstError) {

    double p(double percentile) {
      return latencyMicros.getTotalCount() == 0
          ? Double.NaN
          : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private ClosedLoop() {}

  /** Runs {@code warmup} unmeasured, then {@code duration} measured, on the same connections. */
  static Result run(
      String name,
      int connections,
      Duration warmup,
      Duration duration,
      Supplier<MiniHttp> open,
      OpenLoop.Call<MiniHttp> call) {
    long start = System.nanoTime() + warmup.toNanos();
    long end = start + duration.toNanos();
    var ok = new AtomicLong();
    var errors = new AtomicLong();
    var statuses = new ConcurrentHashMap<Integer, Long>();
    var firstError = new AtomicReference<String>();
    var histograms = new ArrayList<Histogram>();
    var threads = new ArrayList<Thread>();
    for (int t = 0; t < connections; t++) {
      var h = new Histogram(60_000_000L, 3);
      histograms.add(h);
      var thread =
          new Thread(
              () -> {
                try (var c = open.get()) {
                  long i = 0;
                  long now;
                  while ((now = System.nanoTime()) < end) {
                    int status;
                    try {
                      status = call.call(c, i++);
                    } catch (Exception e) {
                      status = -1;
                      firstError.compareAndSet(null, e.toString());
                    }
                    long done = System.nanoTime();
                    if (now >= start && done <= end) {
                      h.recordValue(Math.min(60_000_000L, (done - now) / 1000));
                      statuses.merge(status, 1L, Long::sum);
                      (status >= 200 && status < 300 ? ok : errors).incrementAndGet();
                    }
                  }
                }
              },
              "closed-" + name + "-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (var t : threads) {
      try {
        t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000 + 15_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    var all = new Histogram(60_000_000L, 3);
    histograms.forEach(all::add);
    return new Result(
        name,
        connections,
        ok.get(),
        errors.get(),
        ok.get() / (duration.toNanos() / 1e9),
        all,
        new TreeMap<>(statuses),
        firstError.get());
  }
}
