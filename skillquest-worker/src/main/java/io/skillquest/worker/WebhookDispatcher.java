package io.skillquest.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.skillquest.store.events.EventStore;
import io.skillquest.store.events.WebhookSettings;
import io.skillquest.worker.WebhookDeliveryDao.NewDelivery;
import io.skillquest.worker.WebhookDeliveryDao.Pending;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to webhook endpoints, at least once and in event order per endpoint.
 *
 * <p>Each endpoint has its own cursor over the outbox and its own queue of deliveries. A poll finds
 * the endpoints with work and hands each to a small pool, one task per endpoint: it takes the
 * endpoint's lease (so across several workers one delivers it at a time), copies its next
 * subscribed events into pending deliveries while moving its cursor, then sends the oldest pending
 * delivery until the queue is empty or its head waits for a retry. A failing endpoint therefore
 * blocks only its own queue, and waits without holding a thread. No database connection is held
 * while a request is in flight.
 *
 * <p>A failed try is retried after an exponential backoff with jitter; a delivery out of tries is
 * marked failed and its endpoint disabled, with an audit line and a metric.
 */
final class WebhookDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final Logger audit = LoggerFactory.getLogger("io.skillquest.audit");

  /** Events copied into deliveries per step; sends per task before the thread is handed back. */
  private static final int ENQUEUE_BATCH = 500;

  private static final int SENDS_PER_TASK = 200;

  /** Pending deliveries read per statement, oldest first. */
  private static final int QUEUE_PAGE = 50;

  private final WebhookDeliveryDao dao;
  private final EventStore events;
  private final WebhookSettings settings;
  private final WebhookSender sender;
  private final MeterRegistry registry;
  private final String owner;
  private final Duration lease;
  private final Duration renewAfter;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<Long, AtomicLong> lags = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final BooleanSupplier running;

  WebhookDispatcher(
      Jdbi jdbi,
      WebhookSettings settings,
      MeterRegistry registry,
      String owner,
      BooleanSupplier running) {
    this.dao = new WebhookDeliveryDao(jdbi);
    this.events = new EventStore(jdbi);
    this.settings = settings;
    this.sender = new WebhookSender(settings, Clock.systemUTC());
    this.registry = registry;
    this.owner = owner;
    this.running = running;
    // longer than any one try (renewed before each), short enough that the endpoints of a killed
    // worker move to another within half a minute
    this.lease = settings.timeout().multipliedBy(2).plusSeconds(5);
    this.renewAfter = lease.minus(settings.timeout()).minusSeconds(5);
    var threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            settings.threads(),
            r -> {
              var t = new Thread(r, owner + "-webhook-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Hands every endpoint with work, not already being worked on here, to the pool.
   *
   * @return how many were handed over
   */
  int poll() {
    int started = 0;
    for (long id : dao.due(owner, 1_000)) {
      if (inFlight.add(id)) {
        started++;
        pool.execute(
            () -> {
              try {
                work(id);
              } catch (RuntimeException e) {
                // the database is down or similar: the next poll tries again
                log.warn("webhook {} delivery stopped: {}", id, Failures.describe(e));
              } finally {
                inFlight.remove(id);
              }
            });
      }
    }
    return started;
  }

  /** Updates the per-endpoint lag gauges. */
  void measureLag() {
    var current = dao.lag();
    current.forEach(
        (id, seconds) ->
            lags.computeIfAbsent(
                    id,
                    k -> {
                      var value = new AtomicLong();
                      Gauge.builder("skillquest.webhook.lag", value, AtomicLong::get)
                          .tag("webhook", Long.toString(k))
                          .baseUnit("seconds")
                          .description(
                              "age of the oldest event an enabled endpoint has not received yet")
                          .register(registry);
                      return value;
                    })
                .set(Math.round(seconds)));
    lags.forEach(
        (id, value) -> {
          if (!current.containsKey(id)) {
            value.set(0);
          }
        });
  }

  /** Delivers one endpoint's due work; every change guarded by its lease. */
  void work(long id) {
    var leased = dao.lease(id, owner, lease);
    if (leased.isEmpty()) {
      return;
    }
    var endpoint = leased.get();
    try {
      if (!enqueue(endpoint)) {
        return;
      }
      long renewed = System.nanoTime();
      int sent = 0;
      while (sent < SENDS_PER_TASK && running.getAsBoolean()) {
        var queue = dao.pending(id, QUEUE_PAGE);
        if (queue.isEmpty()) {
          return;
        }
        for (var d : queue) {
          if (d.nextAttemptAt().isAfter(java.time.Instant.now()) || !running.getAsBoolean()) {
            return;
          }
          // the lease must outlast this try: renew it once less than a try's worth is left
          if (System.nanoTime() - renewed > renewAfter.toNanos()) {
            if (!dao.renew(id, owner, lease)) {
              return;
            }
            renewed = System.nanoTime();
          }
          sent++;
          if (!deliver(id, endpoint, d)) {
            return;
          }
        }
      }
    } finally {
      dao.release(id, owner);
    }
  }

  /**
   * One try of the delivery, its result recorded.
   *
   * @return true when it succeeded and the next one may follow
   */
  private boolean deliver(long id, WebhookDeliveryDao.Endpoint endpoint, Pending d) {
    var result =
        sender.send(endpoint.url(), endpoint.secret(), d.eventId(), d.eventType(), d.body());
    if (Thread.currentThread().isInterrupted()) {
      // stopping: the try was cut short, not answered; it stays pending for the next worker
      return false;
    }
    if (result.ok()) {
      dao.succeeded(d.id(), result.statusCode(), result.durationMs());
      count("succeeded");
      return true;
    }
    boolean outOfTries =
        dao.failed(
            d.id(),
            result.statusCode(),
            result.error(),
            result.durationMs(),
            settings.maxAttempts(),
            jittered(settings.backoff(d.attempts() + 1)));
    if (!outOfTries) {
      count("retrying");
      return false;
    }
    count("failed");
    var reason =
        "delivery "
            + d.id()
            + " of event "
            + d.eventId()
            + " failed "
            + settings.maxAttempts()
            + " times, last: "
            + result.error();
    dao.disable(id, reason);
    registry.counter("skillquest.webhook.disabled").increment();
    audit.info(
        "audit action=webhook.disable target=webhook:{} actor_id=0 actor=worker reason=\"{}\"",
        id,
        reason.replace('"', '\''));
    return false;
  }

  /**
   * Copies the endpoint's subscribed events after its cursor into pending deliveries, moving the
   * cursor past every event read, subscribed or not.
   *
   * @return false when the lease was lost meanwhile
   */
  private boolean enqueue(WebhookDeliveryDao.Endpoint endpoint) {
    long cursor = endpoint.cursor();
    while (running.getAsBoolean()) {
      var page = events.after(cursor, null, ENQUEUE_BATCH);
      if (page.isEmpty()) {
        return true;
      }
      var deliveries =
          page.stream()
              .filter(e -> endpoint.events().contains(e.type()))
              .map(e -> new NewDelivery(e.id(), e.type(), e.createdAt(), e.json()))
              .toList();
      cursor = page.get(page.size() - 1).id();
      if (!dao.enqueue(endpoint.id(), owner, deliveries, cursor)) {
        return false;
      }
      if (page.size() < ENQUEUE_BATCH) {
        return true;
      }
    }
    return false;
  }

  /** Up to 25% either way, so endpoints failing together do not retry in lockstep. */
  private static Duration jittered(Duration d) {
    double f = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Duration.ofMillis((long) (d.toMillis() * f));
  }

  private void count(String result) {
    Counter.builder("skillquest.webhook.deliveries")
        .tag("result", result)
        .description("webhook delivery tries by result (failed: out of tries)")
        .register(registry)
        .increment();
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      // answers in the next moments are recorded; a try still waiting is cut short and stays
      // pending, to be sent again (at least once)
      if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      sender.close();
    }
  }
}
