package io.skillquest.worker;

import io.skillquest.core.badge.Condition;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Every badge's current condition, parsed and held in memory, reloaded only when the database's
 * {@code badge_catalogue.version} moves (a trigger bumps it on any badge insert, delete or
 * condition change). An award then reads one row to learn the version instead of every condition,
 * so its cost stays flat with 10 badges or 10,000.
 */
final class BadgeCatalogue {

  /**
   * A badge as of {@code revision}: earned badges are inserted only if that is still its revision.
   */
  record Badge(long id, int revision, Condition condition) {}

  private record Snapshot(long version, List<Badge> badges) {}

  private final BadgeConditions conditions;
  private volatile Snapshot snapshot = new Snapshot(-1, List.of());

  BadgeCatalogue(BadgeConditions conditions) {
    this.conditions = conditions;
  }

  /**
   * The badges as of {@code version} (or a little newer: a change committed since the version was
   * read may already show, which at worst costs one more reload). Badges with invalid stored
   * conditions are left out.
   */
  List<Badge> at(Handle h, long version) {
    var current = snapshot;
    if (current.version() == version) {
      return current.badges();
    }
    synchronized (this) {
      current = snapshot;
      if (current.version() == version) {
        return current.badges();
      }
      var badges =
          BadgeCatalogueDao.all(h).stream()
              .flatMap(
                  b ->
                      conditions
                          .condition(b.id(), b.revision(), b.condition())
                          .map(c -> new Badge(b.id(), b.revision(), c))
                          .stream())
              .toList();
      snapshot = new Snapshot(version, List.copyOf(badges));
      return snapshot.badges();
    }
  }
}
