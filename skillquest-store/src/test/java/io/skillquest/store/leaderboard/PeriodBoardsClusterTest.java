package io.skillquest.store.leaderboard;

import io.skillquest.store.testing.OnRedisCluster;

/** Every period board test again, against a real three-master Redis Cluster. */
@OnRedisCluster
class PeriodBoardsClusterTest extends PeriodBoardsTest {}
