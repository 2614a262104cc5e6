package io.skillquest.worker;

import io.skillquest.core.badge.AttemptStatus;
import io.skillquest.core.badge.Facts;
import io.skillquest.core.streak.FreezeRule;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Reads everything badge conditions can ask about, for one user or a chunk of users, in exactly one
 * query whatever the number of users or badges, so evaluating badges costs the same with 10 badges
 * or 10,000.
 */
final class BadgeFacts {

  /** A user whose facts are wanted, with the total XP they are judged at. */
  record Subject(long userId, long totalXp) {}

  /**
   * An attempt of the subject's that the facts were read before and that its award settles (see
   * {@link Facts#withSettled}).
   */
  record Settled(long userId, AttemptStatus status, int score, List<String> tags, LocalDate day) {}

  private BadgeFacts() {}

  /**
   * The facts of each subject; {@code consecutive_days} is judged under {@code freezeRule}, the
   * same rule progress shows streaks with.
   */
  static Map<Long, Facts> read(Handle h, List<Subject> subjects, FreezeRule freezeRule) {
    if (subjects.isEmpty()) {
      return Map.of();
    }
    return of(BadgeFactsDao.facts(h, userIds(subjects)), subjects, freezeRule);
  }

  /** The subjects' ids, in order: what {@link BadgeFactsDao#bind} takes. */
  static List<Long> userIds(List<Subject> subjects) {
    return subjects.stream().map(Subject::userId).toList();
  }

  /** The facts of each subject from the rows of the facts query. */
  static Map<Long, Facts> of(
      List<BadgeFactsDao.FactRow> rows, List<Subject> subjects, FreezeRule freezeRule) {
    return of(rows, subjects, List.of(), freezeRule);
  }

  /**
   * The facts of each subject from the rows of the facts query, read before {@code settled} moved,
   * as they stand once they have.
   */
  static Map<Long, Facts> of(
      List<BadgeFactsDao.FactRow> rows,
      List<Subject> subjects,
      List<Settled> settled,
      FreezeRule freezeRule) {
    var byStatus = new HashMap<Long, Map<AttemptStatus, Integer>>();
    var perfect = new HashMap<Long, Integer>();
    var tags = new HashMap<Long, Map<String, Integer>>();
    var days = new HashMap<Long, SortedSet<LocalDate>>();
    for (var row : rows) {
      long user = row.userId();
      String key = row.key();
      switch (row.kind()) {
        case "status" -> {
          byStatus
              .computeIfAbsent(user, u -> new EnumMap<>(AttemptStatus.class))
              .put(AttemptStatus.fromWire(key), row.n());
          perfect.merge(user, row.perfect(), Integer::sum);
        }
        case "tag" -> tags.computeIfAbsent(user, u -> new HashMap<>()).put(key, row.n());
        default -> days.computeIfAbsent(user, u -> new TreeSet<>()).add(LocalDate.parse(key));
      }
    }

    var facts = new HashMap<Long, Facts>();
    for (var s : subjects) {
      long u = s.userId();
      facts.put(
          u,
          new Facts(
              s.totalXp(),
              byStatus.getOrDefault(u, Map.of()),
              perfect.getOrDefault(u, 0),
              tags.getOrDefault(u, Map.of()),
              days.getOrDefault(u, new TreeSet<>()),
              freezeRule));
    }
    for (var a : settled) {
      facts.computeIfPresent(
          a.userId(), (u, f) -> f.withSettled(a.status(), a.score(), a.tags(), a.day()));
    }
    return facts;
  }
}
