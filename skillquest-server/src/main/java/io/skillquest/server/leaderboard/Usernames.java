package io.skillquest.server.leaderboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usernames by user id for leaderboard pages. A username never changes once registered, so entries
 * never go stale and a hot page is served from Redis and memory alone; the least recently used
 * names are dropped beyond {@link #CAPACITY}.
 */
final class Usernames {
  static final int CAPACITY = 50_000;

  private final LeaderboardDao users;
  private final Map<Long, String> cache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
              return size() > CAPACITY;
            }
          });

  Usernames(LeaderboardDao users) {
    this.users = users;
  }

  /** The names of those ids that are users; the misses are read in one query. */
  Map<Long, String> of(List<Long> ids) {
    var names = new HashMap<Long, String>(ids.size() * 2);
    var missing = new ArrayList<Long>();
    for (var id : ids) {
      var name = cache.get(id);
      if (name == null) {
        missing.add(id);
      } else {
        names.put(id, name);
      }
    }
    if (!missing.isEmpty()) {
      for (var n : users.names(missing)) {
        cache.put(n.id(), n.username());
        names.put(n.id(), n.username());
      }
    }
    return names;
  }
}
