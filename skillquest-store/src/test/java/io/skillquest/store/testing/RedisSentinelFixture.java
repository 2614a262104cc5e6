package io.skillquest.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Sentinel group on 127.0.0.1 from the embedded mode's {@code redis-server}: a master, a
 * replica of it, and one sentinel ({@code redis-server sentinel.conf --sentinel}, quorum 1) that
 * promotes the replica a second after the master stops answering. Master and replica require {@link
 * #PASSWORD}; the sentinel, as by default, requires none. Each instance is the caller's to close.
 */
public final class RedisSentinelFixture implements AutoCloseable {

  public static final String MASTER_NAME = "sqmaster";
  public static final String PASSWORD = "sentinel-group-secret";

  public final RedisProcess master;
  public final RedisProcess replica;
  public final RedisProcess sentinel;

  public RedisSentinelFixture() {
    Path dir = RedisProcess.tempDir("sq-redis-sentinel");
    master =
        new RedisProcess(dir, RedisProcess.freePort(), List.of("--masterauth", PASSWORD), PASSWORD)
            .start();
    replica =
        new RedisProcess(
                dir,
                RedisProcess.freePort(),
                List.of(
                    "--replicaof",
                    "127.0.0.1",
                    Integer.toString(master.port),
                    "--masterauth",
                    PASSWORD),
                PASSWORD)
            .start();
    int sentinelPort = RedisProcess.freePort();
    Path conf = dir.resolve("sentinel-" + sentinelPort + ".conf");
    try {
      // the sentinel rewrites its file as it learns the group, so it must be its own and writable
      Files.writeString(
          conf,
          String.join(
              "\n",
              "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port + " 1",
              "sentinel auth-pass " + MASTER_NAME + " " + PASSWORD,
              "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
              "sentinel failover-timeout " + MASTER_NAME + " 5000",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sentinel = new RedisProcess(dir, sentinelPort, List.of(conf.toString(), "--sentinel")).start();
    awaitReplicaInSync(Duration.ofSeconds(15));
  }

  /** {@code redis-sentinel://:<password>@127.0.0.1:<sentinel port>/sqmaster}. */
  public String url() {
    return "redis-sentinel://:" + PASSWORD + "@127.0.0.1:" + sentinel.port + "/" + MASTER_NAME;
  }

  /** The port of the node the sentinel currently names master. */
  public int masterPort() {
    try (var j = sentinel.client()) {
      return Integer.parseInt(j.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
    }
  }

  private void awaitReplicaInSync(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try (var j = replica.client();
          var s = sentinel.client()) {
        boolean linked = j.info("replication").contains("master_link_status:up");
        boolean known = s.sentinelReplicas(MASTER_NAME).size() == 1;
        if (linked && known) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replica or the sentinel did not come up");
      }
      RedisProcess.pause(100);
    }
  }

  @Override
  public void close() {
    sentinel.close();
    replica.close();
    master.close();
  }
}
