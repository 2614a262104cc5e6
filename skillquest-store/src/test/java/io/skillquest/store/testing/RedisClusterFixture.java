package io.skillquest.store.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import redis.clients.jedis.params.ScanParams;

/**
 * A real three-master Redis Cluster on 127.0.0.1, started once per JVM from the embedded mode's
 * {@code redis-server}: three nodes with {@code --cluster-enabled yes}, the 16384 slots split with
 * {@code CLUSTER ADDSLOTS}, joined with {@code CLUSTER MEET}, ready once every node reports {@code
 * cluster_state:ok}. Tests share it and stay apart by key prefix, like {@link TestStores}.
 *
 * <pre>{@code
 * var stores = TestStores.fresh().withRedisUrl(RedisClusterFixture.shared().url());
 * }</pre>
 */
public final class RedisClusterFixture implements AutoCloseable {

  public static final int SLOTS = 16384;
  private static RedisClusterFixture shared;

  private final int masters;
  private final List<RedisProcess> nodes = new ArrayList<>();

  private RedisClusterFixture(int masters, boolean replicas) {
    this.masters = masters;
    Path dir = RedisProcess.tempDir("sq-redis-cluster");
    for (int i = 0; i < (replicas ? 2 * masters : masters); i++) {
      int port = RedisProcess.freeClusterPort();
      nodes.add(
          new RedisProcess(
                  dir,
                  port,
                  List.of(
                      "--cluster-enabled",
                      "yes",
                      "--cluster-config-file",
                      "nodes-" + port + ".conf",
                      "--cluster-node-timeout",
                      "2000"))
              .start());
    }
    for (int i = 0; i < masters; i++) {
      int from = i * SLOTS / masters;
      int to = (i + 1) * SLOTS / masters;
      try (var j = nodes.get(i).client()) {
        j.clusterAddSlots(IntStream.range(from, to).toArray());
      }
    }
    try (var first = nodes.get(0).client()) {
      for (var node : nodes.subList(1, nodes.size())) {
        first.clusterMeet("127.0.0.1", node.port);
      }
    }
    if (replicas) {
      for (int i = 0; i < masters; i++) {
        String masterId;
        try (var m = nodes.get(i).client()) {
          masterId = m.clusterMyId();
        }
        var replica = nodes.get(masters + i);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
          // a node can only replicate a master it has already heard of through the gossip
          try (var r = replica.client()) {
            r.clusterReplicate(masterId);
            break;
          } catch (RuntimeException e) {
            if (System.nanoTime() > deadline) {
              throw e;
            }
            RedisProcess.pause(100);
          }
        }
      }
    }
    awaitReady(Duration.ofSeconds(30));
  }

  /** The cluster every test in this JVM shares: three masters, no replicas. */
  public static synchronized RedisClusterFixture shared() {
    if (shared == null) {
      shared = new RedisClusterFixture(3, false);
    }
    return shared;
  }

  /**
   * A cluster of its own with a replica per master, for failover tests (which kill masters); the
   * caller closes it.
   */
  public static RedisClusterFixture withReplicas() {
    return new RedisClusterFixture(3, true);
  }

  /** Kills every node. */
  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }

  /**
   * Kills the master serving {@code key}'s slot and waits until its replica has taken over and
   * every remaining node agrees the cluster is whole again.
   *
   * @return the port of the new master
   */
  public int killMasterOf(String key) {
    int old = portOf(key);
    nodes.stream().filter(n -> n.port == old).findFirst().orElseThrow().close();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        int now = portOf(key);
        if (now != old) {
          awaitReady(Duration.ofSeconds(30));
          return now;
        }
      } catch (IllegalStateException notYet) {
        // no node serves the slot while the replicas vote
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no replica took over from the master on " + old);
      }
      RedisProcess.pause(100);
    }
  }

  /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
  public String url() {
    return "redis-cluster://"
        + String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.port).toList());
  }

  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The keys under a prefix, found by SCAN on every master (each holds only its own slots). */
  public List<String> keys(String prefix) {
    var found = new ArrayList<String>();
    var params = new ScanParams().match(prefix + "*").count(1000);
    for (var node : liveMasters()) {
      try (var j = node.client()) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          var page = j.scan(cursor, params);
          found.addAll(page.getResult());
          cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      }
    }
    return found;
  }

  /** Deletes every key under a prefix, on whichever master holds it. */
  public void deleteKeys(String prefix) {
    var params = new ScanParams().match(prefix + "*").count(1000);
    for (var node : liveMasters()) {
      try (var j = node.client()) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          var page = j.scan(cursor, params);
          page.getResult().forEach(j::del);
          cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      }
    }
  }

  /**
   * Moves the slot holding {@code key} to another master while clients keep working, the way a
   * resharding does: IMPORTING on the target, MIGRATING on the source, MIGRATE of its keys, then
   * the new owner announced to every node. Clients see MOVED/ASK replies and must follow them.
   *
   * @return the port of the node that serves the slot now
   */
  public synchronized int moveSlotOf(String key) {
    int fromPort = portOf(key);
    var live = liveMasters();
    var from = live.stream().filter(n -> n.port == fromPort).findFirst().orElseThrow();
    var to = live.stream().filter(n -> n.port != fromPort).findFirst().orElseThrow();
    try (var src = from.client();
        var dst = to.client()) {
      int slot = (int) src.clusterKeySlot(key);
      String fromId = src.clusterMyId();
      String toId = dst.clusterMyId();
      dst.clusterSetSlotImporting(slot, fromId);
      src.clusterSetSlotMigrating(slot, toId);
      List<String> keys;
      while (!(keys = src.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
        src.migrate(
            "127.0.0.1",
            to.port,
            0,
            5_000,
            new redis.clients.jedis.params.MigrateParams(),
            keys.toArray(String[]::new));
      }
      dst.clusterSetSlotNode(slot, toId);
      src.clusterSetSlotNode(slot, toId);
      for (var other : live) {
        if (other != from && other != to) {
          try (var o = other.client()) {
            o.clusterSetSlotNode(slot, toId);
          }
        }
      }
    }
    awaitReady(Duration.ofSeconds(30));
    return to.port;
  }

  /** Which node's port holds a key (asks each master whether it serves the key's slot). */
  public int portOf(String key) {
    for (var node : liveMasters()) {
      try (var j = node.client()) {
        int slot = (int) j.clusterKeySlot(key);
        if (servesSlot(j.clusterNodes(), slot)) {
          return node.port;
        }
      }
    }
    throw new IllegalStateException("no node serves " + key);
  }

  private static boolean servesSlot(String clusterNodes, int slot) {
    for (String line : clusterNodes.split("\n")) {
      if (!line.contains("myself")) {
        continue;
      }
      var parts = line.trim().split(" ");
      for (int i = 8; i < parts.length; i++) {
        var range = parts[i].split("-");
        if (range[0].startsWith("[")) {
          continue;
        }
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          return true;
        }
      }
    }
    return false;
  }

  /** The running nodes that are masters now (a promoted replica included). */
  private List<RedisProcess> liveMasters() {
    var live = new ArrayList<RedisProcess>();
    for (var node : nodes) {
      if (!node.running()) {
        continue;
      }
      try (var j = node.client()) {
        if (j.clusterNodes().lines().anyMatch(l -> l.contains("myself,master"))) {
          live.add(node);
        }
      }
    }
    return live;
  }

  /** Masters that hold slots and are not failed, as one node sees them. */
  private static long servingMasters(String clusterNodes) {
    return clusterNodes
        .lines()
        .map(l -> l.trim().split(" "))
        .filter(f -> f.length > 8 && f[2].contains("master") && !f[2].contains("fail"))
        .count();
  }

  private void awaitReady(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      boolean ok = true;
      for (var node : nodes) {
        if (!node.running()) {
          continue;
        }
        try (var j = node.client()) {
          ok &=
              j.clusterInfo().contains("cluster_state:ok")
                  && servingMasters(j.clusterNodes()) == masters
                  && (j.clusterNodes().contains("myself,master")
                      || j.info("replication").contains("master_link_status:up"));
        } catch (RuntimeException e) {
          ok = false;
        }
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Redis Cluster did not become ready");
      }
      RedisProcess.pause(100);
    }
  }
}
