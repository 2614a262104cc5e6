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
public final class RedisClusterFixture {

  public static final int SLOTS = 16384;
  private static RedisClusterFixture shared;

  private final List<RedisProcess> nodes = new ArrayList<>();

  private RedisClusterFixture(int masters) {
    Path dir = RedisProcess.tempDir("sq-redis-cluster");
    for (int i = 0; i < masters; i++) {
      int port = RedisProcess.freePort();
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
    awaitReady(Duration.ofSeconds(30));
  }

  /** The cluster every test in this JVM shares. */
  public static synchronized RedisClusterFixture shared() {
    if (shared == null) {
      shared = new RedisClusterFixture(3);
    }
    return shared;
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
    for (var node : nodes) {
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
    for (var node : nodes) {
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
    var from = nodes.stream().filter(n -> n.port == fromPort).findFirst().orElseThrow();
    var to = nodes.stream().filter(n -> n.port != fromPort).findFirst().orElseThrow();
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
      for (var other : nodes) {
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
    for (var node : nodes) {
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

  private void awaitReady(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      boolean ok = true;
      for (var node : nodes) {
        try (var j = node.client()) {
          ok &=
              j.clusterInfo().contains("cluster_state:ok")
                  && j.clusterNodes().lines().filter(l -> l.contains("master")).count()
                      == nodes.size();
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
