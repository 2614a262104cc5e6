package io.skillquest.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.badge.Conditions;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parsed badge conditions, cached by (badge id, revision): a condition only changes together with
 * its revision, so every award after the first skips JSON parsing entirely.
 */
final class BadgeConditions {

  private record Key(long badgeId, int revision) {}

  private static final Logger log = LoggerFactory.getLogger(BadgeConditions.class);
  private static final int MAX_ENTRIES = 10_000;
  private static final ObjectMapper json = new ObjectMapper();

  private final ConcurrentMap<Key, Optional<Condition>> cache = new ConcurrentHashMap<>();

  /**
   * Empty when the stored JSON is not a valid condition (the server rejects those, so this is
   * logged loudly once).
   */
  Optional<Condition> condition(long badgeId, int revision, String conditionJson) {
    var key = new Key(badgeId, revision);
    var cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    Optional<Condition> parsed;
    try {
      parsed = Optional.of(Conditions.parse(json.readValue(conditionJson, Object.class)));
    } catch (IOException | IllegalArgumentException e) {
      log.error(
          "badge {} revision {} has an invalid condition and is never awarded: {}",
          badgeId,
          revision,
          e.getMessage());
      parsed = Optional.empty();
    }
    cache.put(key, parsed);
    return parsed;
  }
}
