package io.skillquest.bench;

import java.net.URI;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * When the leaderboard's sorted set changes, pushed by Redis (keyspace notifications), so that
 * waiting for an award to show costs neither the harness nor Redis any work: a poller spinning on
 * ZSCORE would take CPU from the very processes a lone award's latency is made of, on a 2-core box.
 *
 * <p>Turns on {@code notify-keyspace-events Kz} for the run and restores the previous setting on
 * close. Each notification is the {@link System#nanoTime()} at which it was read.
 */
final class BoardChanges implements AutoCloseable {

  private final URI redisUrl;
  private final String previous;
  private final LinkedBlockingQueue<Long> changes = new LinkedBlockingQueue<>();
  private final Jedis subscriber;
  private final JedisPubSub listener =
      new JedisPubSub() {
        @Override
        public void onPMessage(String pattern, String channel, String message) {
          changes.add(System.nanoTime());
        }
      };
  private final Thread thread;

  BoardChanges(URI redisUrl, String key) throws InterruptedException {
    this.redisUrl = redisUrl;
    try (var admin = new Jedis(redisUrl)) {
      previous =
          admin.configGet("notify-keyspace-events").getOrDefault("notify-keyspace-events", "");
      admin.configSet("notify-keyspace-events", "Kz");
    }
    subscriber = new Jedis(redisUrl);
    thread =
        new Thread(() -> subscriber.psubscribe(listener, "__keyspace@*__:" + key), "board-changes");
    thread.setDaemon(true);
    thread.start();
    for (int i = 0; i < 500 && listener.getSubscribedChannels() == 0; i++) {
      Thread.sleep(10);
    }
    if (listener.getSubscribedChannels() == 0) {
      throw new IllegalStateException("could not subscribe to changes of " + key);
    }
  }

  /** Forgets every change seen so far: call before the action whose effect is awaited. */
  void clear() {
    changes.clear();
  }

  /**
   * The next change after the last one taken, waiting until {@code deadline} ({@link
   * System#nanoTime()}); null if none came.
   */
  Long next(long deadline) throws InterruptedException {
    return changes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    listener.punsubscribe();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    subscriber.close();
    try (var admin = new Jedis(redisUrl)) {
      admin.configSet("notify-keyspace-events", previous);
    }
  }
}
