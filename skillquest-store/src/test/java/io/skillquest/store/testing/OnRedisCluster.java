package io.skillquest.store.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@link RealStores} test class fixtures whose Redis is the shared three-master {@link
 * RedisClusterFixture} ({@code redis-cluster://...}) instead of the single server. A subclass of an
 * existing suite with this annotation runs the whole suite against a cluster.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface OnRedisCluster {}
