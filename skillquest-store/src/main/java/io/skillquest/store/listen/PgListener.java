package io.skillquest.store.listen;

import io.skillquest.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dedicated PostgreSQL connection that {@code LISTEN}s on a channel and wakes a callback: with
 * the largest numeric payload among the notifications that arrived, or with an empty value every
 * {@code fallback} (and after every (re)connect), so a notification lost while the connection was
 * down delays the reader by at most that long. The connection is outside the pool: it is held for
 * the life of the process, and a pooled one would be taken from request handlers for good.
 *
 * <p>Reconnects after any failure with a back-off of up to 5 s. The callback runs on the listener's
 * own daemon thread, one wake-up at a time.
 */
public final class PgListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgListener.class);
  private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final StoreConfig stores;
  private final String channel;
  private final Duration fallback;
  private final Consumer<OptionalLong> wake;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean connected;

  /**
   * Starts listening.
   *
   * @param stores where PostgreSQL is
   * @param channel the channel name (lower case letters, digits, underscores)
   * @param fallback the longest time between two wake-ups
   * @param wake called with the largest payload received, or empty on a fallback wake-up
   */
  public PgListener(
      StoreConfig stores, String channel, Duration fallback, Consumer<OptionalLong> wake) {
    if (!CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("not a plain channel name: " + channel);
    }
    this.stores = Objects.requireNonNull(stores, "stores");
    this.channel = channel;
    this.fallback = fallback;
    this.wake = wake;
    this.thread = new Thread(this::run, "pg-listen-" + channel);
    thread.setDaemon(true);
    thread.start();
  }

  /** True while the LISTEN connection is up (health and tests read it). */
  public boolean connected() {
    return connected;
  }

  private void run() {
    long backoff = 100;
    while (running) {
      try (var conn = connect()) {
        try (var st = conn.createStatement()) {
          st.execute("LISTEN " + channel);
        }
        connected = true;
        backoff = 100;
        log.info("listening for PostgreSQL notifications on {}", channel);
        listen(conn.unwrap(PGConnection.class));
      } catch (SQLException | RuntimeException e) {
        if (running) {
          log.warn("LISTEN {} failed, reconnecting in {} ms: {}", channel, backoff, e.toString());
        }
      } finally {
        connected = false;
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
    }
  }

  private void listen(PGConnection pg) throws SQLException {
    // catch up with whatever was committed while no connection listened
    callback(OptionalLong.empty());
    long lastWake = System.nanoTime();
    while (running) {
      var notes = pg.getNotifications((int) POLL.toMillis());
      long max = Long.MIN_VALUE;
      boolean any = false;
      if (notes != null) {
        for (var n : notes) {
          any = true;
          try {
            max = Math.max(max, Long.parseLong(n.getParameter().trim()));
          } catch (NumberFormatException e) {
            max = Long.MAX_VALUE;
          }
        }
      }
      if (any) {
        callback(max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max));
        lastWake = System.nanoTime();
      } else if (System.nanoTime() - lastWake >= fallback.toNanos()) {
        callback(OptionalLong.empty());
        lastWake = System.nanoTime();
      }
    }
  }

  private void callback(OptionalLong maxId) {
    try {
      wake.accept(maxId);
    } catch (RuntimeException e) {
      log.warn("notification handler for {} failed: {}", channel, e.toString());
    }
  }

  private Connection connect() throws SQLException {
    var props = new Properties();
    if (!stores.dbUser().isEmpty()) {
      props.setProperty("user", stores.dbUser());
    }
    if (!stores.dbPassword().isEmpty()) {
      props.setProperty("password", stores.dbPassword());
    }
    props.setProperty("ApplicationName", "skillquest-listen");
    props.setProperty("connectTimeout", "3");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("logServerErrorDetail", "false");
    var conn = DriverManager.getConnection(stores.dbUrl(), props);
    conn.setAutoCommit(true);
    return conn;
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops listening and waits for the thread (at most about one poll interval). */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(POLL.toMillis() * 8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
