package io.skillquest.store.leaderboard;

import io.skillquest.store.testing.OnRedisCluster;

/** Every leaderboard store test again, against a real three-master Redis Cluster. */
@OnRedisCluster
class LeaderboardStoreClusterTest extends LeaderboardStoreTest {}
