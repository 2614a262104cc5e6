package io.skillquest.bench;

import io.skillquest.core.badge.AttemptStatus;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.badge.Facts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * Deterministic test data shared by the JMH benchmarks and the load harness: badge catalogues of
 * mixed condition types and a realistic user's facts. Same seed, same data, so runs compare.
 */
public final class Fixtures {

  /** Tags used by challenges and by {@code tag_passed} badges. */
  public static final List<String> TAGS =
      List.of(
          "java",
          "sql",
          "redis",
          "algorithms",
          "web",
          "security",
          "testing",
          "devops",
          "kotlin",
          "python",
          "go",
          "rust");

  private Fixtures() {}

  /**
   * {@code n} badge conditions cycling through every condition type, about one in five nested
   * ({@code all_of}/{@code any_of} of two or three simple conditions), thresholds spread so that a
   * typical user satisfies some and not others.
   */
  public static Map<Long, Condition> badges(int n, long seed) {
    var random = new Random(seed);
    var badges = new LinkedHashMap<Long, Condition>();
    for (long id = 1; id <= n; id++) {
      Condition c = (id % 5 == 0) ? composite(random) : simple(random, (int) (id % 7));
      badges.put(id, c);
    }
    return badges;
  }

  static Condition simple(Random r, int kind) {
    return switch (kind) {
      case 0 -> new Condition.Xp(100L + r.nextInt(50_000));
      case 1 ->
          new Condition.AttemptCount(
              1 + r.nextInt(200),
              r.nextBoolean() ? Optional.of(AttemptStatus.PASSED) : Optional.empty());
      case 2 -> new Condition.ConsecutiveDays(2 + r.nextInt(30));
      case 3 -> new Condition.DistinctDays(2 + r.nextInt(60));
      case 4 -> new Condition.LevelAtLeast(2 + r.nextInt(25));
      case 5 -> new Condition.PerfectScores(1 + r.nextInt(20));
      default -> new Condition.TagPassed(TAGS.get(r.nextInt(TAGS.size())), 1 + r.nextInt(25));
    };
  }

  static Condition composite(Random r) {
    var children = new ArrayList<Condition>();
    int k = 2 + r.nextInt(2);
    for (int i = 0; i < k; i++) {
      children.add(simple(r, r.nextInt(7)));
    }
    return r.nextBoolean() ? new Condition.AllOf(children) : new Condition.AnyOf(children);
  }

  /** The nested condition used by the parse benchmark: three levels, every simple type once. */
  public static Map<String, Object> nestedConditionTree() {
    return Map.of(
        "type",
        "all_of",
        "conditions",
        List.of(
            Map.of("type", "xp", "threshold", 5000),
            Map.of(
                "type",
                "any_of",
                "conditions",
                List.of(
                    Map.of("type", "consecutive_days", "days", 7),
                    Map.of("type", "distinct_days", "days", 30),
                    Map.of(
                        "type",
                        "all_of",
                        "conditions",
                        List.of(
                            Map.of("type", "tag_passed", "tag", "java", "count", 5),
                            Map.of("type", "perfect_scores", "count", 3))))),
            Map.of("type", "attempt_count", "count", 10, "status", "passed"),
            Map.of("type", "level", "level", 5)));
  }

  /**
   * An active user: ~12k XP, ~180 processed attempts, passed on ~90 days over the last half year
   * with a few multi-day streaks, tag counts for every tag.
   */
  public static Facts activeUser(long seed) {
    var r = new Random(seed);
    var byStatus = new EnumMap<AttemptStatus, Integer>(AttemptStatus.class);
    byStatus.put(AttemptStatus.STARTED, 7);
    byStatus.put(AttemptStatus.SUBMITTED, 1);
    byStatus.put(AttemptStatus.PASSED, 140);
    byStatus.put(AttemptStatus.FAILED, 40);
    var byTag = new HashMap<String, Integer>();
    for (String tag : TAGS) {
      byTag.put(tag, r.nextInt(30));
    }
    var days = new TreeSet<LocalDate>();
    var day = LocalDate.of(2026, 5, 1);
    while (days.size() < 90) {
      days.add(day);
      day = day.plusDays(r.nextInt(3) == 0 ? 2 + r.nextInt(3) : 1);
    }
    return new Facts(12_345, byStatus, 11, byTag, days);
  }
}
