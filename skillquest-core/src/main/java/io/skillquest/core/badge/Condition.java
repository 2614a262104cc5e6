package io.skillquest.core.badge;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user must have achieved to earn a badge.
 *
 * <p>The set of conditions is closed: parsing, rendering and evaluation each handle every kind, and
 * a new kind is a change to all three. Every record validates its limits when built, so a {@code
 * Condition} in hand is always one that {@link Conditions#parse(Object)} would accept.
 */
public sealed interface Condition {

  /** The deepest nesting allowed, counting the outermost condition as depth 1. */
  int MAX_DEPTH = 16;

  /** The most children an {@link AllOf} or {@link AnyOf} may have. */
  int MAX_CHILDREN = 100;

  /** The longest tag name, in characters. */
  int MAX_TAG_LENGTH = 64;

  /** The largest count, number of days or level a condition may ask for. */
  int MAX_COUNT = 1_000_000;

  /** The largest XP threshold; far beyond any reachable total, yet safely inside a {@code long}. */
  long MAX_XP_THRESHOLD = 1_000_000_000_000L;

  /**
   * How deeply this condition nests.
   *
   * @return 1 for a simple condition, 1 + the deepest child for {@link AllOf} and {@link AnyOf}
   */
  default int depth() {
    return 1;
  }

  /**
   * Total XP reaches a threshold. Wire form {@code {"type":"xp","threshold":1000}}.
   *
   * @param threshold the XP needed, 1..{@value #MAX_XP_THRESHOLD}
   */
  record Xp(long threshold) implements Condition {
    /**
     * Validates the threshold.
     *
     * @param threshold the XP needed
     */
    public Xp {
      if (threshold < 1 || threshold > MAX_XP_THRESHOLD) {
        throw new IllegalArgumentException("threshold must be between 1 and " + MAX_XP_THRESHOLD);
      }
    }
  }

  /**
   * Enough attempts in a status. Wire form {@code
   * {"type":"attempt_count","count":10,"status":"passed"}}.
   *
   * @param count the number of attempts needed, 1..{@value #MAX_COUNT}
   * @param status the status counted; empty to count every processed (passed or failed) attempt
   */
  record AttemptCount(int count, Optional<AttemptStatus> status) implements Condition {
    /**
     * Validates the count.
     *
     * @param count the number of attempts needed
     * @param status the status counted, or empty for processed attempts
     */
    public AttemptCount {
      requireCount("count", count);
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * The longest streak of calendar days with a passed attempt reaches a length. Missed days held by
   * streak freezes keep a streak going but never count towards its length (see {@link
   * Facts#freezeRule()}). Wire form {@code {"type":"consecutive_days","days":7}}.
   *
   * @param days the run length needed, 1..{@value #MAX_COUNT}
   */
  record ConsecutiveDays(int days) implements Condition {
    /**
     * Validates the number of days.
     *
     * @param days the run length needed
     */
    public ConsecutiveDays {
      requireCount("days", days);
    }
  }

  /**
   * Passed attempts on enough different calendar days. Wire form {@code
   * {"type":"distinct_days","days":7}}.
   *
   * @param days the number of days needed, 1..{@value #MAX_COUNT}
   */
  record DistinctDays(int days) implements Condition {
    /**
     * Validates the number of days.
     *
     * @param days the number of days needed
     */
    public DistinctDays {
      requireCount("days", days);
    }
  }

  /**
   * The user's level reaches a value. Wire form {@code {"type":"level","level":5}}.
   *
   * @param level the level needed, 1..{@value #MAX_COUNT}
   */
  record LevelAtLeast(int level) implements Condition {
    /**
     * Validates the level.
     *
     * @param level the level needed
     */
    public LevelAtLeast {
      requireCount("level", level);
    }
  }

  /**
   * Enough processed attempts scored 100. Wire form {@code {"type":"perfect_scores","count":3}}.
   *
   * @param count the number of perfect scores needed, 1..{@value #MAX_COUNT}
   */
  record PerfectScores(int count) implements Condition {
    /**
     * Validates the count.
     *
     * @param count the number of perfect scores needed
     */
    public PerfectScores {
      requireCount("count", count);
    }
  }

  /**
   * Enough passed attempts on challenges carrying a tag. Wire form {@code
   * {"type":"tag_passed","tag":"java","count":5}}.
   *
   * @param tag the tag, matched exactly; non-blank, no surrounding whitespace, at most {@value
   *     #MAX_TAG_LENGTH} characters
   * @param count the number of passed attempts needed, 1..{@value #MAX_COUNT}
   */
  record TagPassed(String tag, int count) implements Condition {
    /**
     * Validates the tag and count.
     *
     * @param tag the tag
     * @param count the number of passed attempts needed
     */
    public TagPassed {
      String problem = Conditions.tagProblem(tag);
      if (problem != null) {
        throw new IllegalArgumentException("tag " + problem);
      }
      requireCount("count", count);
    }
  }

  /**
   * Every child condition holds. Wire form {@code {"type":"all_of","conditions":[...]}}.
   *
   * @param conditions 1..{@value #MAX_CHILDREN} children; copied, so later changes to the argument
   *     have no effect
   */
  record AllOf(List<Condition> conditions) implements Condition {
    /**
     * Validates and copies the children.
     *
     * @param conditions the children
     */
    public AllOf {
      conditions = children(conditions);
    }

    @Override
    public int depth() {
      return 1 + maxDepth(conditions);
    }
  }

  /**
   * At least one child condition holds. Wire form {@code {"type":"any_of","conditions":[...]}}.
   *
   * @param conditions 1..{@value #MAX_CHILDREN} children; copied, so later changes to the argument
   *     have no effect
   */
  record AnyOf(List<Condition> conditions) implements Condition {
    /**
     * Validates and copies the children.
     *
     * @param conditions the children
     */
    public AnyOf {
      conditions = children(conditions);
    }

    @Override
    public int depth() {
      return 1 + maxDepth(conditions);
    }
  }

  private static void requireCount(String name, int value) {
    if (value < 1 || value > MAX_COUNT) {
      throw new IllegalArgumentException(name + " must be between 1 and " + MAX_COUNT);
    }
  }

  private static List<Condition> children(List<Condition> conditions) {
    List<Condition> copy = List.copyOf(conditions);
    if (copy.isEmpty() || copy.size() > MAX_CHILDREN) {
      throw new IllegalArgumentException("conditions must hold 1 to " + MAX_CHILDREN + " children");
    }
    // children were built first, so each is within the limit; only this level can exceed it
    if (1 + maxDepth(copy) > MAX_DEPTH) {
      throw new IllegalArgumentException("conditions nest deeper than " + MAX_DEPTH);
    }
    return copy;
  }

  private static int maxDepth(List<Condition> conditions) {
    int max = 0;
    for (Condition c : conditions) {
      max = Math.max(max, c.depth());
    }
    return max;
  }
}
