package io.skillquest.worker;

import io.skillquest.store.testing.OnRedisCluster;

/**
 * WorkerMain as a separate JVM with {@code SKILLQUEST_REDIS_URL=redis-cluster://...}: killed at
 * random during a burst, stopped with SIGTERM, and its rebuild-leaderboard command, all against a
 * real three-master cluster.
 */
@OnRedisCluster
class WorkerProcessClusterTest extends WorkerProcessTest {}
