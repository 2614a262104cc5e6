package io.skillquest.worker;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jdbi.v3.core.ConnectionException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/** Tells outages (retry later, the data is fine) from failures of one particular task. */
final class Failures {

  private Failures() {}

  /** True when the failure is about reaching a store, not about the data being processed. */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JedisConnectionException || t instanceof ConnectionException) {
        return true;
      }
      // a Redis Cluster in transition: a node gone and retries spent, or CLUSTERDOWN/TRYAGAIN
      // while a failover or resharding completes
      if (t instanceof JedisClusterOperationException || t instanceof JedisClusterException) {
        return true;
      }
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
        return true;
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static boolean isRedis(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JedisException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + root;
  }

  private static boolean transientState(String state) {
    if (state == null) {
      return false;
    }
    return state.startsWith("08") // connection exceptions
        || state.startsWith("53") // insufficient resources (too many connections, disk full)
        || state.startsWith("57P") // operator intervention: shutdown, cannot connect now
        || state.startsWith("58") // system errors (I/O)
        || state.equals("40001") // serialization failure
        || state.equals("40P01") // deadlock detected: retrying is the documented remedy
        || state.equals("55P03"); // lock not available
  }
}
