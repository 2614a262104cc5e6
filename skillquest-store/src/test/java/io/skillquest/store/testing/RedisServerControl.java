package io.skillquest.store.testing;

/**
 * Stops and restarts the embedded Redis on the same port, for outage tests. Data is not kept across
 * a restart (the server runs without persistence), exactly like a Redis that restarted empty.
 */
public interface RedisServerControl {

  void stop();

  void start();

  boolean running();

  /** Stops Redis now; closing the returned handle starts it again on the same port. */
  default Outage outage() {
    stop();
    return this::start;
  }

  /** An outage in progress; {@link #close()} ends it. */
  @FunctionalInterface
  interface Outage extends AutoCloseable {
    @Override
    void close();
  }
}
