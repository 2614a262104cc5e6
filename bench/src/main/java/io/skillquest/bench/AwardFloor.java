package io.skillquest.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;

/**
 * The least a lone award can take on this machine: the dependent steps of one, each done with a
 * one-row statement and no work beside it, timed the way the lone award is.
 *
 * <ol>
 *   <li>the submit: a durable one-row UPDATE in autocommit, stamping the row with {@code now()};
 *   <li>LPUSH of the row's id, which answers the worker's waiting BRPOP;
 *   <li>the worker's first round trip: BEGIN and a row lock ({@code FOR NO KEY UPDATE}), read;
 *   <li>its second: a one-row UPDATE and the COMMIT, sent together, not waiting for the WAL flush
 *       (the award worker's commits do not);
 *   <li>ZADD of the new value on a sorted set, whose keyspace notification ends the sample.
 * </ol>
 *
 * <p>Those are the round trips and the WAL flush a lone award cannot do without: the queue is
 * Redis, the award is one transaction that decides between reading and writing, and the board is
 * written after the commit. What SkillQuest adds on top of this chain is its own cost; the chain
 * itself is the machine's.
 */
final class AwardFloor implements AutoCloseable {

  /** Each sample: PostgreSQL's {@code now()} of the submit to the change seen on the board. */
  record Result(long samples, double p50, double p99) {}

  /** The steps, for the report. */
  static final String STEPS =
      "a durable one-row UPDATE stamping now(); LPUSH; the worker's BRPOP answered; BEGIN and a row"
          + " lock; a one-row UPDATE and COMMIT in one round trip, with synchronous_commit off as the"
          + " worker's; ZADD, seen by keyspace notification";

  private static final String TABLE = "bench_award_floor";

  private final Connection submitter;
  private final Connection worker;
  private final URI redisUrl;
  private final String queue;
  private final String board;
  private final Thread loop;
  private final AtomicReference<Throwable> failed = new AtomicReference<>();
  private volatile boolean running = true;

  AwardFloor(String jdbcUrl, String user, String password, URI redisUrl, String prefix)
      throws SQLException {
    this.submitter = DriverManager.getConnection(jdbcUrl, user, password);
    this.worker = DriverManager.getConnection(jdbcUrl, user, password);
    this.redisUrl = redisUrl;
    this.queue = prefix + "bench:floor:queue";
    this.board = prefix + "bench:floor:board";
    try (var st = submitter.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + TABLE);
      st.execute(
          "CREATE TABLE "
              + TABLE
              + " (id int PRIMARY KEY, v bigint NOT NULL, at timestamptz NOT NULL)");
      st.execute("INSERT INTO " + TABLE + " SELECT g, 0, now() FROM generate_series(1, 1000) g");
      st.execute("ANALYZE " + TABLE);
    }
    try (var r = new Jedis(redisUrl)) {
      r.del(queue, board);
    }
    try (var st = worker.createStatement()) {
      // as the award worker's pool does (Database.workerDataSource)
      st.execute("SET synchronous_commit = off");
    }
    worker.setAutoCommit(false);
    loop = new Thread(this::work, "award-floor-worker");
    loop.setDaemon(true);
    loop.start();
  }

  /** The worker's side: BRPOP, lock, update and commit, ZADD; until closed. */
  private void work() {
    try (var blocking = new Jedis(redisUrl, 10_000);
        var writes = new Jedis(redisUrl);
        var lock =
            worker.prepareStatement("SELECT v FROM " + TABLE + " WHERE id = ? FOR NO KEY UPDATE");
        var settle =
            worker.prepareStatement(
                "UPDATE " + TABLE + " SET v = v + 1 WHERE id = ? RETURNING v;\nCOMMIT")) {
      while (running) {
        var popped = blocking.brpop(1, queue);
        if (popped == null || popped.size() < 2) {
          continue;
        }
        int id = Integer.parseInt(popped.get(1));
        lock.setInt(1, id);
        try (var rs = lock.executeQuery()) {
          rs.next();
        }
        settle.setInt(1, id);
        long v;
        settle.execute(); // the UPDATE's rows, then the COMMIT's count
        try (var rs = settle.getResultSet()) {
          rs.next();
          v = rs.getLong(1);
        }
        writes.zadd(board, v, popped.get(1));
      }
    } catch (Throwable e) {
      failed.set(e);
    }
  }

  /**
   * {@code warmup} samples back to back (the JIT and the statements' plans settle), then {@code n}
   * at one every {@code interval}, each awaited before the next is due.
   */
  Result measure(int warmup, int n, Duration interval) throws Exception {
    var h = new Histogram(60_000_000L, 3);
    try (var submit =
            submitter.prepareStatement(
                "UPDATE " + TABLE + " SET v = v + 1, at = now() WHERE id = ? RETURNING at");
        var push = new Jedis(redisUrl);
        var changes = new BoardChanges(redisUrl, board)) {
      long start = 0;
      for (int i = 0; i < warmup + n; i++) {
        if (i == warmup) {
          start = System.nanoTime();
        }
        if (i >= warmup) {
          long due = start + (i - warmup) * interval.toNanos();
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        int id = 1 + i % 1000;
        changes.clear();
        submit.setInt(1, id);
        Instant at;
        try (var rs = submit.executeQuery()) {
          rs.next();
          at = rs.getObject(1, OffsetDateTime.class).toInstant();
        }
        push.lpush(queue, String.valueOf(id));
        Long seen = changes.next(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        if (seen == null) {
          throw new IllegalStateException("the floor's worker did not answer", failed.get());
        }
        if (i >= warmup) {
          var seenAt = Instant.now().minusNanos(System.nanoTime() - seen);
          h.recordValue(Math.max(0, Duration.between(at, seenAt).toNanos() / 1000));
        }
      }
    }
    return new Result(
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0);
  }

  @Override
  public void close() throws Exception {
    running = false;
    loop.join(5_000);
    try (var st = submitter.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + TABLE);
    } finally {
      worker.close();
      submitter.close();
      try (var r = new Jedis(redisUrl)) {
        r.del(queue, board);
      }
    }
  }
}
