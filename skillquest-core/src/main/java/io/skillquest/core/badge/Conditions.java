package io.skillquest.core.badge;

import io.skillquest.core.InputTree;
import io.skillquest.core.badge.Condition.AllOf;
import io.skillquest.core.badge.Condition.AnyOf;
import io.skillquest.core.badge.Condition.AttemptCount;
import io.skillquest.core.badge.Condition.ConsecutiveDays;
import io.skillquest.core.badge.Condition.DistinctDays;
import io.skillquest.core.badge.Condition.LevelAtLeast;
import io.skillquest.core.badge.Condition.PerfectScores;
import io.skillquest.core.badge.Condition.TagPassed;
import io.skillquest.core.badge.Condition.Xp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Converts badge conditions to and from their JSON form, held as a plain tree of {@link Map},
 * {@link List}, {@link Number}, {@link String} and {@link Boolean} values, which is what Jackson's
 * {@code readValue(json, Object.class)} and most other JSON libraries produce.
 *
 * <p>Parsing is strict, because a condition is checked once, when an admin saves a badge, and must
 * never fail later at evaluation time: unknown types and unknown fields are rejected, numbers must
 * be integral (a {@code 3.0} is accepted, {@code 2.5}, {@code "3"} and {@code true} are not), and
 * nesting and list sizes are bounded (see {@link Condition}). Every failure is an {@link
 * InvalidConditionException} naming the path of the bad field.
 */
public final class Conditions {

  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "xp", Set.of("threshold"),
          "attempt_count", Set.of("count", "status"),
          "consecutive_days", Set.of("days"),
          "distinct_days", Set.of("days"),
          "level", Set.of("level"),
          "perfect_scores", Set.of("count"),
          "tag_passed", Set.of("tag", "count"),
          "all_of", Set.of("conditions"),
          "any_of", Set.of("conditions"));

  private static final String STATUSES =
      Arrays.stream(AttemptStatus.values())
          .map(AttemptStatus::wireName)
          .collect(Collectors.joining(", "));

  private Conditions() {}

  /**
   * Parses a condition from its JSON tree.
   *
   * @param tree the parsed JSON, e.g. a {@code Map} for {@code {"type":"xp","threshold":1000}}
   * @return the condition
   * @throws InvalidConditionException if the tree is not a valid condition; the message names the
   *     path of the first bad field found
   */
  public static Condition parse(Object tree) {
    return parse(tree, "", 1);
  }

  /**
   * Renders a condition as a JSON tree: insertion-ordered maps with {@code "type"} first, lists,
   * {@code Integer}/{@code Long} numbers and strings. {@code parse(render(c)).equals(c)}.
   *
   * @param condition the condition
   * @return an unmodifiable tree ready for any JSON serialiser
   */
  public static Map<String, Object> render(Condition condition) {
    var out = new LinkedHashMap<String, Object>();
    if (condition instanceof Xp c) {
      out.put("type", "xp");
      out.put("threshold", c.threshold());
    } else if (condition instanceof AttemptCount c) {
      out.put("type", "attempt_count");
      out.put("count", c.count());
      c.status().ifPresent(s -> out.put("status", s.wireName()));
    } else if (condition instanceof ConsecutiveDays c) {
      out.put("type", "consecutive_days");
      out.put("days", c.days());
    } else if (condition instanceof DistinctDays c) {
      out.put("type", "distinct_days");
      out.put("days", c.days());
    } else if (condition instanceof LevelAtLeast c) {
      out.put("type", "level");
      out.put("level", c.level());
    } else if (condition instanceof PerfectScores c) {
      out.put("type", "perfect_scores");
      out.put("count", c.count());
    } else if (condition instanceof TagPassed c) {
      out.put("type", "tag_passed");
      out.put("tag", c.tag());
      out.put("count", c.count());
    } else if (condition instanceof AllOf c) {
      out.put("type", "all_of");
      out.put("conditions", renderAll(c.conditions()));
    } else if (condition instanceof AnyOf c) {
      out.put("type", "any_of");
      out.put("conditions", renderAll(c.conditions()));
    } else {
      throw new NullPointerException("condition");
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<Object> renderAll(List<Condition> conditions) {
    var out = new ArrayList<Object>(conditions.size());
    for (Condition c : conditions) {
      out.add(render(c));
    }
    return Collections.unmodifiableList(out);
  }

  private static Condition parse(Object node, String path, int depth) {
    // checked before descending, so a hostile (or cyclic) tree cannot exhaust the stack
    if (depth > Condition.MAX_DEPTH) {
      throw new InvalidConditionException(
          path, "conditions nest deeper than " + Condition.MAX_DEPTH + " levels");
    }
    if (!(node instanceof Map<?, ?> map)) {
      throw new InvalidConditionException(path, "must be an object");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw new InvalidConditionException(path, "field names must be strings");
      }
    }
    String typePath = field(path, "type");
    if (!map.containsKey("type")) {
      throw new InvalidConditionException(typePath, "is required");
    }
    if (!(map.get("type") instanceof String type)) {
      throw new InvalidConditionException(typePath, "must be a string");
    }
    Set<String> allowed = FIELDS.get(type);
    if (allowed == null) {
      throw new InvalidConditionException(
          typePath, "unknown condition type '" + InputTree.shown(type) + "'");
    }
    for (Object key : map.keySet()) {
      String name = (String) key;
      if (!name.equals("type") && !allowed.contains(name)) {
        throw new InvalidConditionException(field(path, InputTree.shown(name)), "unknown field");
      }
    }
    return switch (type) {
      case "xp" -> new Xp(positive(map, path, "threshold", Condition.MAX_XP_THRESHOLD));
      case "attempt_count" -> new AttemptCount(count(map, path, "count"), status(map, path));
      case "consecutive_days" -> new ConsecutiveDays(count(map, path, "days"));
      case "distinct_days" -> new DistinctDays(count(map, path, "days"));
      case "level" -> new LevelAtLeast(count(map, path, "level"));
      case "perfect_scores" -> new PerfectScores(count(map, path, "count"));
      case "tag_passed" -> new TagPassed(tag(map, path), count(map, path, "count"));
      case "all_of" -> new AllOf(children(map, path, depth));
      case "any_of" -> new AnyOf(children(map, path, depth));
      default -> throw new AssertionError(type);
    };
  }

  private static int count(Map<?, ?> map, String path, String key) {
    return (int) positive(map, path, key, Condition.MAX_COUNT);
  }

  private static long positive(Map<?, ?> map, String path, String key, long max) {
    String p = field(path, key);
    Object value = required(map, p, key);
    BigDecimal d = InputTree.decimal(value);
    if (d == null || d.signum() <= 0 || d.stripTrailingZeros().scale() > 0) {
      throw new InvalidConditionException(p, "must be a positive integer");
    }
    if (d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidConditionException(p, "must be at most " + max);
    }
    return d.longValueExact();
  }

  private static Optional<AttemptStatus> status(Map<?, ?> map, String path) {
    if (!map.containsKey("status")) {
      return Optional.empty();
    }
    Object value = map.get("status");
    if (value instanceof String s) {
      for (AttemptStatus status : AttemptStatus.values()) {
        if (status.wireName().equals(s)) {
          return Optional.of(status);
        }
      }
    }
    throw new InvalidConditionException(field(path, "status"), "must be one of " + STATUSES);
  }

  private static String tag(Map<?, ?> map, String path) {
    String p = field(path, "tag");
    Object value = required(map, p, "tag");
    String problem = value instanceof String s ? tagProblem(s) : "must be a non-blank string";
    if (problem != null) {
      throw new InvalidConditionException(p, problem);
    }
    return (String) value;
  }

  private static List<Condition> children(Map<?, ?> map, String path, int depth) {
    String p = field(path, "conditions");
    Object value = required(map, p, "conditions");
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidConditionException(p, "must be a non-empty list");
    }
    if (list.size() > Condition.MAX_CHILDREN) {
      throw new InvalidConditionException(
          p, "must hold at most " + Condition.MAX_CHILDREN + " conditions");
    }
    var out = new ArrayList<Condition>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(parse(list.get(i), p + "[" + i + "]", depth + 1));
    }
    return out;
  }

  private static Object required(Map<?, ?> map, String path, String key) {
    if (!map.containsKey(key)) {
      throw new InvalidConditionException(path, "is required");
    }
    return map.get(key);
  }

  /** Shared with {@link Condition.TagPassed} so the record and the parser reject the same tags. */
  static String tagProblem(String tag) {
    if (tag == null || tag.isBlank()) {
      return "must be a non-blank string";
    }
    if (tag.length() > Condition.MAX_TAG_LENGTH) {
      return "must be at most " + Condition.MAX_TAG_LENGTH + " characters";
    }
    if (!tag.strip().equals(tag)) {
      return "must not start or end with whitespace";
    }
    return null;
  }

  private static String field(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
