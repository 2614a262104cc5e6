package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.Keys;
import io.skillquest.store.testing.OnRedisCluster;
import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.RedisClusterFixture;
import io.skillquest.store.testing.StoreFixture;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Keys used together in one script, transaction or multi-key command must be in one Redis Cluster
 * slot. The groups below are every such use; a new key in {@link Keys} fails {@link
 * #everyKeyIsClassified} until it is put in a group or declared to stand alone.
 */
@ExtendWith(RealStores.class)
@OnRedisCluster
class ClusterKeysTest {

  private static final Keys KEYS = new Keys("skillquest:");
  private static final String TOKEN = UUID.randomUUID().toString();
  private static final String WEEK = "week:2026-W49";

  /** Keys that appear together in one command or script, by what uses them. */
  private static final Map<String, List<String>> TOGETHER =
      Map.of(
          "all-time board: raise/place/prune scripts, rebuild copy swap, lock",
          List.of(
              KEYS.leaderboard(),
              KEYS.leaderboardMembers(),
              KEYS.leaderboardLock(),
              KEYS.leaderboard() + ":rebuild:" + TOKEN,
              KEYS.leaderboard() + ":rebuild:" + TOKEN + ":members"),
          "period board: raise/place scripts, rebuild copy swap, lock",
          List.of(
              KEYS.periodBoard(WEEK),
              KEYS.periodBoardMembers(WEEK),
              KEYS.periodBoard(WEEK) + ":rebuild-lock",
              KEYS.periodBoard(WEEK) + ":rebuild:" + TOKEN,
              KEYS.periodBoard(WEEK) + ":rebuild:" + TOKEN + ":members"),
          "dead-letter replay script",
          List.of(KEYS.deadLetters(), KEYS.queue()));

  /**
   * The Keys methods and where they belong: a group above, or alone (only ever single-key commands;
   * the revocation pair is read with one EXISTS per key in a cluster, see RedisClients.anyExists).
   */
  private static final Map<String, String> CLASSIFIED =
      Map.ofEntries(
          Map.entry("queue", "dead-letter replay script"),
          Map.entry("deadLetters", "dead-letter replay script"),
          Map.entry("legacyDeadLetters", "alone: moved key by key"),
          Map.entry("leaderboard", "all-time board"),
          Map.entry("leaderboardMembers", "all-time board"),
          Map.entry("leaderboardLock", "all-time board"),
          Map.entry("periodBoard", "period board"),
          Map.entry("periodBoardMembers", "period board"),
          Map.entry("revokedToken", "alone"),
          Map.entry("revokedFamily", "alone"),
          Map.entry("rateLimit", "alone"),
          Map.entry("lock", "alone"),
          Map.entry("prefix", "not a key"));

  private final StoreFixture stores;

  ClusterKeysTest(StoreFixture stores) {
    this.stores = stores;
  }

  @Test
  void keysUsedTogetherShareOneSlotByTheClientsHashAndTheClustersOwn() {
    try (var node = RedisClusterFixture.shared().nodes().get(0).client()) {
      TOGETHER.forEach(
          (use, keys) -> {
            var slots = keys.stream().map(JedisClusterCRC16::getSlot).collect(Collectors.toSet());
            assertThat(slots).as(use + ": " + keys).hasSize(1);
            assertThat(node.clusterKeySlot(keys.get(0)))
                .as("CLUSTER KEYSLOT of " + keys.get(0))
                .isEqualTo((long) slots.iterator().next());
          });
    }
  }

  @Test
  void everyKeyIsClassified() {
    var methods =
        Arrays.stream(Keys.class.getDeclaredMethods())
            .filter(
                m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
            .filter(m -> m.getReturnType() == String.class)
            .map(Method::getName)
            .filter(n -> !n.equals("toString"))
            .collect(Collectors.toSet());
    assertThat(methods)
        .as(
            "a new key must be added to CLASSIFIED (and to TOGETHER when a script or multi-key"
                + " command uses it with others)")
        .isEqualTo(new HashSet<>(CLASSIFIED.keySet()));
  }

  @Test
  void theFixtureIsARealClusterAndKeysThatStandAloneSpreadOverItsNodes() {
    assertThat(stores.redis).isInstanceOf(JedisCluster.class);
    var cluster = RedisClusterFixture.shared();
    var ports = new HashSet<Integer>();
    for (int i = 0; i < 30; i++) {
      String key = stores.keys.rateLimit("login", "user" + i);
      stores.redis.set(key, "1");
      ports.add(cluster.portOf(key));
    }
    assertThat(ports).as("nodes holding 30 rate-limit keys").hasSize(3);
    // one board's keys live on one node
    stores.user();
    assertThat(cluster.portOf(stores.keys.leaderboard()))
        .isEqualTo(cluster.portOf(stores.keys.leaderboardMembers()));
    assertThat(cluster.keys(stores.config.redisPrefix())).contains(stores.keys.leaderboard());
  }
}
