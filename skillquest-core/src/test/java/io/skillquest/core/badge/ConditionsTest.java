package io.skillquest.core.badge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionsTest {

  @Test
  void parsesEveryConditionTypeFromTheSpec() {
    assertThat(Conditions.parse(Map.of("type", "xp", "threshold", 1000))).isEqualTo(new Xp(1000));
    assertThat(Conditions.parse(Map.of("type", "attempt_count", "count", 10, "status", "passed")))
        .isEqualTo(new AttemptCount(10, Optional.of(AttemptStatus.PASSED)));
    assertThat(Conditions.parse(Map.of("type", "attempt_count", "count", 10)))
        .isEqualTo(new AttemptCount(10, Optional.empty()));
    assertThat(Conditions.parse(Map.of("type", "consecutive_days", "days", 7)))
        .isEqualTo(new ConsecutiveDays(7));
    assertThat(Conditions.parse(Map.of("type", "distinct_days", "days", 7)))
        .isEqualTo(new DistinctDays(7));
    assertThat(Conditions.parse(Map.of("type", "level", "level", 5)))
        .isEqualTo(new LevelAtLeast(5));
    assertThat(Conditions.parse(Map.of("type", "perfect_scores", "count", 3)))
        .isEqualTo(new PerfectScores(3));
    assertThat(Conditions.parse(Map.of("type", "tag_passed", "tag", "java", "count", 5)))
        .isEqualTo(new TagPassed("java", 5));
    assertThat(
            Conditions.parse(
                Map.of(
                    "type",
                    "all_of",
                    "conditions",
                    List.of(
                        Map.of("type", "xp", "threshold", 1),
                        Map.of("type", "level", "level", 2)))))
        .isEqualTo(new AllOf(List.of(new Xp(1), new LevelAtLeast(2))));
    assertThat(
            Conditions.parse(
                Map.of(
                    "type", "any_of", "conditions", List.of(Map.of("type", "xp", "threshold", 1)))))
        .isEqualTo(new AnyOf(List.of(new Xp(1))));
  }

  @Test
  void parsesEveryAttemptStatus() {
    for (AttemptStatus s : AttemptStatus.values()) {
      assertThat(
              Conditions.parse(Map.of("type", "attempt_count", "count", 1, "status", s.wireName())))
          .isEqualTo(new AttemptCount(1, Optional.of(s)));
    }
  }

  @Test
  void acceptsIntegralNumbersOfEveryJavaType() {
    for (Object n :
        List.of(
            7, 7L, (short) 7, (byte) 7, BigInteger.valueOf(7), new BigDecimal("7.00"), 7.0, 7.0f)) {
      assertThat(Conditions.parse(Map.of("type", "level", "level", n)))
          .as("%s", n.getClass())
          .isEqualTo(new LevelAtLeast(7));
    }
  }

  @Test
  void acceptsTheLargestXpThreshold() {
    assertThat(Conditions.parse(Map.of("type", "xp", "threshold", 1_000_000_000_000L)))
        .isEqualTo(new Xp(Condition.MAX_XP_THRESHOLD));
    assertThat(Conditions.parse(Map.of("type", "xp", "threshold", 1e12)))
        .isEqualTo(new Xp(Condition.MAX_XP_THRESHOLD));
  }

  @Test
  void rendersTheWireFormWithTypeFirst() {
    Map<String, Object> tree =
        Conditions.render(
            new AllOf(
                List.of(
                    new TagPassed("java", 5),
                    new AttemptCount(10, Optional.of(AttemptStatus.PASSED)),
                    new AttemptCount(2, Optional.empty()))));
    assertThat(tree)
        .isEqualTo(
            Map.of(
                "type",
                "all_of",
                "conditions",
                List.of(
                    Map.of("type", "tag_passed", "tag", "java", "count", 5),
                    Map.of("type", "attempt_count", "count", 10, "status", "passed"),
                    Map.of("type", "attempt_count", "count", 2))));
    assertThat(tree.keySet()).containsExactly("type", "conditions");
    assertThat(Conditions.render(new Xp(1000))).isEqualTo(Map.of("type", "xp", "threshold", 1000L));
  }

  @Test
  void renderedTreesAreUnmodifiable() {
    Map<String, Object> tree = Conditions.render(new Xp(1));
    assertThatThrownBy(() -> tree.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsNestingSixteenDeep() {
    Condition c = Conditions.parse(nested("all_of", 15, Map.of("type", "xp", "threshold", 1)));
    assertThat(c.depth()).isEqualTo(16);
  }

  @Test
  void acceptsAHundredChildren() {
    var children = Collections.nCopies(100, (Object) Map.of("type", "level", "level", 1));
    assertThat(
            ((AnyOf) Conditions.parse(Map.of("type", "any_of", "conditions", children)))
                .conditions())
        .hasSize(100);
  }

  static Stream<Arguments> malformed() {
    Map<String, Object> xp = Map.of("type", "xp", "threshold", 1);
    return Stream.of(
        // the tree itself
        Arguments.of(null, "condition: must be an object"),
        Arguments.of("xp", "condition: must be an object"),
        Arguments.of(List.of(xp), "condition: must be an object"),
        Arguments.of(42, "condition: must be an object"),
        Arguments.of(Map.of(), "type: is required"),
        Arguments.of(mapWithNull("type"), "type: must be a string"),
        Arguments.of(Map.of("type", 1), "type: must be a string"),
        Arguments.of(Map.of("type", "foo"), "type: unknown condition type 'foo'"),
        Arguments.of(Map.of("type", "XP", "threshold", 1), "type: unknown condition type 'XP'"),
        Arguments.of(Map.of(1, "x"), "condition: field names must be strings"),
        // unknown and missing fields
        Arguments.of(
            Map.of("type", "xp", "threshold", 1, "colour", "red"), "colour: unknown field"),
        Arguments.of(Map.of("type", "level", "days", 1), "days: unknown field"),
        Arguments.of(Map.of("type", "xp"), "threshold: is required"),
        Arguments.of(Map.of("type", "attempt_count"), "count: is required"),
        Arguments.of(Map.of("type", "consecutive_days"), "days: is required"),
        Arguments.of(Map.of("type", "distinct_days"), "days: is required"),
        Arguments.of(Map.of("type", "level"), "level: is required"),
        Arguments.of(Map.of("type", "perfect_scores"), "count: is required"),
        Arguments.of(Map.of("type", "tag_passed", "count", 1), "tag: is required"),
        Arguments.of(Map.of("type", "tag_passed", "tag", "java"), "count: is required"),
        Arguments.of(Map.of("type", "all_of"), "conditions: is required"),
        // numbers
        Arguments.of(Map.of("type", "xp", "threshold", 0), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", -5), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", 2.5), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", "1000"), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", true), "threshold: must be a positive integer"),
        Arguments.of(
            mapWithNull("type", "xp", "threshold"), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", Double.NaN), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", Double.POSITIVE_INFINITY),
            "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", List.of(1)), "threshold: must be a positive integer"),
        Arguments.of(
            Map.of("type", "xp", "threshold", 1_000_000_000_001L),
            "threshold: must be at most 1000000000000"),
        Arguments.of(
            Map.of("type", "xp", "threshold", new BigInteger("99999999999999999999999")),
            "threshold: must be at most 1000000000000"),
        Arguments.of(
            Map.of("type", "xp", "threshold", 1e300), "threshold: must be at most 1000000000000"),
        Arguments.of(Map.of("type", "level", "level", 0), "level: must be a positive integer"),
        Arguments.of(Map.of("type", "level", "level", 1_000_001), "level: must be at most 1000000"),
        Arguments.of(
            Map.of("type", "consecutive_days", "days", 0), "days: must be a positive integer"),
        Arguments.of(
            Map.of("type", "distinct_days", "days", -1), "days: must be a positive integer"),
        Arguments.of(
            Map.of("type", "perfect_scores", "count", 0.5), "count: must be a positive integer"),
        Arguments.of(
            Map.of("type", "attempt_count", "count", Long.MAX_VALUE),
            "count: must be at most 1000000"),
        Arguments.of(
            Map.of("type", "tag_passed", "tag", "java", "count", 0),
            "count: must be a positive integer"),
        // strings
        Arguments.of(
            Map.of("type", "attempt_count", "count", 1, "status", "won"),
            "status: must be one of started, submitted, passed, failed"),
        Arguments.of(
            Map.of("type", "attempt_count", "count", 1, "status", "PASSED"),
            "status: must be one of started, submitted, passed, failed"),
        Arguments.of(
            Map.of("type", "attempt_count", "count", 1, "status", 1),
            "status: must be one of started, submitted, passed, failed"),
        Arguments.of(
            mapWithNull("type", "attempt_count", "count", 1, "status"),
            "status: must be one of started, submitted, passed, failed"),
        Arguments.of(
            Map.of("type", "tag_passed", "tag", "", "count", 1), "tag: must be a non-blank string"),
        Arguments.of(
            Map.of("type", "tag_passed", "tag", "  ", "count", 1),
            "tag: must be a non-blank string"),
        Arguments.of(
            Map.of("type", "tag_passed", "tag", 5, "count", 1), "tag: must be a non-blank string"),
        Arguments.of(
            Map.of("type", "tag_passed", "tag", " java", "count", 1),
            "tag: must not start or end with whitespace"),
        Arguments.of(
            Map.of("type", "tag_passed", "tag", "x".repeat(65), "count", 1),
            "tag: must be at most 64 characters"),
        // composites
        Arguments.of(
            Map.of("type", "all_of", "conditions", List.of()),
            "conditions: must be a non-empty list"),
        Arguments.of(
            Map.of("type", "any_of", "conditions", xp), "conditions: must be a non-empty list"),
        Arguments.of(
            Map.of("type", "any_of", "conditions", "xp"), "conditions: must be a non-empty list"),
        Arguments.of(
            Map.of("type", "all_of", "conditions", Collections.nCopies(101, xp)),
            "conditions: must hold at most 100 conditions"),
        Arguments.of(
            Map.of(
                "type",
                "all_of",
                "conditions",
                List.of(xp, Map.of("type", "consecutive_days", "days", 0))),
            "conditions[1].days: must be a positive integer"),
        Arguments.of(
            Map.of("type", "all_of", "conditions", List.of(xp, "xp")),
            "conditions[1]: must be an object"),
        Arguments.of(
            Map.of("type", "all_of", "conditions", Collections.singletonList(null)),
            "conditions[0]: must be an object"),
        Arguments.of(
            Map.of(
                "type",
                "any_of",
                "conditions",
                List.of(
                    Map.of("type", "all_of", "conditions", List.of(xp, Map.of("type", "nope"))))),
            "conditions[0].conditions[1].type: unknown condition type 'nope'"),
        Arguments.of(
            Map.of(
                "type",
                "any_of",
                "conditions",
                List.of(Map.of("type", "xp", "threshold", 1, "extra", 1))),
            "conditions[0].extra: unknown field"),
        Arguments.of(
            nested("all_of", 16, xp),
            "conditions[0]".repeat(1)
                + ".conditions[0]".repeat(15)
                + ": conditions nest deeper than 16 levels"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void rejectsMalformedConditionsNamingThePath(Object tree, String message) {
    assertThatThrownBy(() -> Conditions.parse(tree))
        .isInstanceOf(InvalidConditionException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void exceptionSeparatesPathAndReason() {
    var e =
        (InvalidConditionException)
            catchThrowable(
                Map.of(
                    "type",
                    "all_of",
                    "conditions",
                    List.of(Map.of("type", "consecutive_days", "days", -3))));
    assertThat(e.path()).isEqualTo("conditions[0].days");
    assertThat(e.reason()).isEqualTo("must be a positive integer");
    var root = (InvalidConditionException) catchThrowable("nope");
    assertThat(root.path()).isEmpty();
    assertThat(root.reason()).isEqualTo("must be an object");
  }

  @Test
  void echoedNamesAreBoundedAndStrippedOfControlCharacters() {
    var e = catchThrowable(Map.of("type", "bad\ntype" + "x".repeat(200)));
    assertThat(e.getMessage())
        .doesNotContain("\n")
        .hasSizeLessThan(120)
        .startsWith("type: unknown condition type 'bad?type");
  }

  @Test
  void deeplyNestedHostileTreesFailWithoutStackOverflow() {
    Map<String, Object> tree = nested("any_of", 100_000, Map.of("type", "xp", "threshold", 1));
    assertThatThrownBy(() -> Conditions.parse(tree))
        .hasMessageEndingWith("conditions nest deeper than 16 levels");
  }

  @Test
  void cyclicTreesFailWithoutStackOverflow() {
    var cyclic = new HashMap<String, Object>();
    var children = new ArrayList<Object>();
    cyclic.put("type", "all_of");
    cyclic.put("conditions", children);
    children.add(cyclic);
    assertThatThrownBy(() -> Conditions.parse(cyclic))
        .isInstanceOf(InvalidConditionException.class);
  }

  @Test
  void nonStringKeysInSortedMapsAreRejectedCleanly() {
    var tree = new TreeMap<Integer, Object>(Map.of(1, "x"));
    assertThatThrownBy(() -> Conditions.parse(tree))
        .hasMessage("condition: field names must be strings");
  }

  @Test
  void keyOrderDoesNotMatter() {
    var tree = new LinkedHashMap<String, Object>();
    tree.put("count", 5);
    tree.put("tag", "java");
    tree.put("type", "tag_passed");
    assertThat(Conditions.parse(tree)).isEqualTo(new TagPassed("java", 5));
  }

  @Test
  void recordsEnforceTheSameLimitsAsTheParser() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Xp(0));
    assertThatIllegalArgumentException().isThrownBy(() -> new Xp(Condition.MAX_XP_THRESHOLD + 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new AttemptCount(0, Optional.empty()));
    assertThatIllegalArgumentException().isThrownBy(() -> new ConsecutiveDays(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> new DistinctDays(0));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new LevelAtLeast(Condition.MAX_COUNT + 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new PerfectScores(0));
    assertThatIllegalArgumentException().isThrownBy(() -> new TagPassed(" ", 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new AllOf(List.of()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new AnyOf(Collections.nCopies(101, new Xp(1))));
    Condition deepest = new Xp(1);
    for (int i = 1; i < Condition.MAX_DEPTH; i++) {
      deepest = new AllOf(List.of(deepest));
    }
    Condition atLimit = deepest;
    assertThat(atLimit.depth()).isEqualTo(16);
    assertThatIllegalArgumentException().isThrownBy(() -> new AnyOf(List.of(atLimit)));
    assertThatThrownBy(() -> new AllOf(Collections.singletonList(null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AttemptCount(1, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void compositesCopyTheirChildren() {
    var children = new ArrayList<Condition>(List.of(new Xp(1)));
    var all = new AllOf(children);
    children.add(new Xp(2));
    assertThat(all.conditions()).containsExactly(new Xp(1));
    assertThatThrownBy(() -> all.conditions().add(new Xp(3)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void attemptStatusesHaveLowerCaseWireNames() {
    assertThat(AttemptStatus.PASSED.wireName()).isEqualTo("passed");
    assertThat(AttemptStatus.fromWire("submitted")).isEqualTo(AttemptStatus.SUBMITTED);
    assertThat(AttemptStatus.PASSED.processed()).isTrue();
    assertThat(AttemptStatus.FAILED.processed()).isTrue();
    assertThat(AttemptStatus.STARTED.processed()).isFalse();
    assertThat(AttemptStatus.SUBMITTED.processed()).isFalse();
    assertThatIllegalArgumentException().isThrownBy(() -> AttemptStatus.fromWire("Passed"));
    assertThatIllegalArgumentException().isThrownBy(() -> AttemptStatus.fromWire(null));
  }

  private static Throwable catchThrowable(Object tree) {
    return org.assertj.core.api.Assertions.catchThrowable(() -> Conditions.parse(tree));
  }

  /** {@code levels} composites of {@code type} around {@code leaf}: depth {@code levels + 1}. */
  static Map<String, Object> nested(String type, int levels, Map<String, Object> leaf) {
    Map<String, Object> tree = leaf;
    for (int i = 0; i < levels; i++) {
      tree = Map.of("type", type, "conditions", List.of(tree));
    }
    return tree;
  }

  /** A map with a null under the last key, which {@code Map.of} cannot build. */
  private static Map<Object, Object> mapWithNull(Object... keysAndValues) {
    var map = new LinkedHashMap<Object, Object>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    map.put(keysAndValues[keysAndValues.length - 1], null);
    return map;
  }
}
