package io.skillquest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Fixed arrival rate ("open model") load: request {@code i} is due at {@code start + i / rate},
 * whatever happened to earlier ones, and its latency is measured from that intended time, not from
 * when a thread got round to sending it. A server that stalls therefore shows the stall in every
 * request that was due during it (no coordinated omission), unlike a closed loop of N clients that
 * simply waits.
 *
 * <p>Bounded twice: exactly {@code rate * duration} requests, and a hard deadline of duration + 15
 * s after which nothing more is sent (unsent requests are counted and reported, never silently
 * dropped).
 */
final class OpenLoop {

  /** One request. Returns the response status (2xx = success), or throws on a transport failure. */
  interface Call<C> {
    int call(C connection, long index) throws Exception;
  }

  /** Per-thread connection lifecycle. */
  interface Connections<C> {
    C open();

    default void close(C c) {
      if (c instanceof AutoCloseable a) {
        try {
          a.close();
        } catch (Exception ignored) {
          // shutting down anyway
        }
      }
    }
  }

  record Result(
      String name,
      double targetRate,
      long planned,
      long ok,
      long errors,
      long unsent,
      double achievedRate,
      Histogram latencyMicros,
      Map<Integer, Long> statuses,
      String firstError) {

    double p(double percentile) {
      return latencyMicros.getTotalCount() == 0
          ? Double.NaN
          : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
      return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
    }
  }

  private static final ThreadLocal<long[]> INTENDED = ThreadLocal.withInitial(() -> new long[1]);

  private OpenLoop() {}

  /** Inside a {@link Call}: the System.nanoTime() at which this request was due. */
  static long intendedNanos() {
    return INTENDED.get()[0];
  }

  static <C> Result run(
      String name,
      double rate,
      Duration duration,
      int threads,
      Connections<C> connections,
      Call<C> call) {
    long planned = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
    double intervalNanos = 1e9 / rate;
    long start = System.nanoTime() + 20_000_000L;
    long deadline = start + duration.toNanos() + Duration.ofSeconds(15).toNanos();
    var next = new AtomicLong();
    var ok = new AtomicLong();
    var errors = new AtomicLong();
    var unsent = new AtomicLong();
    var lastDone = new AtomicLong(start);
    var statuses = new ConcurrentHashMap<Integer, Long>();
    var firstError = new AtomicReference<String>();
    var histograms = new ArrayList<Histogram>();
    var workers = new ArrayList<Thread>();
    for (int t = 0; t < threads; t++) {
      var h = new Histogram(60_000_000L, 3);
      histograms.add(h);
      var worker =
          new Thread(
              () -> {
                C c = null;
                long[] due = INTENDED.get();
                try {
                  c = connections.open();
                  while (true) {
                    long i = next.getAndIncrement();
                    if (i >= planned) {
                      break;
                    }
                    long intended = start + (long) (i * intervalNanos);
                    long wait;
                    while ((wait = intended - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() > deadline) {
                      unsent.incrementAndGet();
                      continue;
                    }
                    due[0] = intended;
                    int status;
                    try {
                      status = call.call(c, i);
                    } catch (Exception e) {
                      status = -1;
                      firstError.compareAndSet(null, e.toString());
                    }
                    long done = System.nanoTime();
                    h.recordValue(Math.min(60_000_000L, Math.max(0, (done - intended) / 1000)));
                    lastDone.accumulateAndGet(done, Math::max);
                    statuses.merge(status, 1L, Long::sum);
                    if (status >= 200 && status < 300) {
                      ok.incrementAndGet();
                    } else {
                      errors.incrementAndGet();
                    }
                  }
                } catch (RuntimeException e) {
                  firstError.compareAndSet(null, e.toString());
                } finally {
                  if (c != null) {
                    connections.close(c);
                  }
                }
              },
              "load-" + name + "-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    for (var w : workers) {
      try {
        w.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 5_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    var all = new Histogram(60_000_000L, 3);
    histograms.forEach(all::add);
    long done = ok.get() + errors.get();
    long notSent = planned - done;
    double seconds = Math.max(1e-9, (lastDone.get() - start) / 1e9);
    return new Result(
        name,
        rate,
        planned,
        ok.get(),
        errors.get(),
        Math.max(notSent, unsent.get()),
        done / seconds,
        all,
        new TreeMap<>(statuses),
        firstError.get());
  }

  static <C> Connections<C> connections(Supplier<C> open) {
    return open::get;
  }
}
