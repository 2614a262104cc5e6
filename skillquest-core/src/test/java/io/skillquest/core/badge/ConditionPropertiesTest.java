package io.skillquest.core.badge;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.core.badge.Condition.AllOf;
import io.skillquest.core.badge.Condition.AnyOf;
import io.skillquest.core.badge.Condition.AttemptCount;
import io.skillquest.core.badge.Condition.ConsecutiveDays;
import io.skillquest.core.badge.Condition.DistinctDays;
import io.skillquest.core.badge.Condition.LevelAtLeast;
import io.skillquest.core.badge.Condition.PerfectScores;
import io.skillquest.core.badge.Condition.TagPassed;
import io.skillquest.core.badge.Condition.Xp;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ConditionPropertiesTest {

  @Property
  void renderThenParseGivesTheSameCondition(@ForAll("conditions") Condition condition) {
    assertThat(Conditions.parse(Conditions.render(condition))).isEqualTo(condition);
  }

  @Property(tries = 300)
  void anyOfOneChildMeansTheChildAndAllOfOneChildToo(
      @ForAll("conditions") Condition condition, @ForAll("facts") Facts facts) {
    boolean alone = BadgeEvaluator.satisfied(condition, facts);
    assertThat(BadgeEvaluator.satisfied(new AllOf(java.util.List.of(condition)), facts))
        .isEqualTo(alone);
    assertThat(BadgeEvaluator.satisfied(new AnyOf(java.util.List.of(condition)), facts))
        .isEqualTo(alone);
  }

  @Provide
  Arbitrary<Condition> conditions() {
    // bounded depth keeps generation cheap; depth 16 itself is covered by the example-based tests
    return Arbitraries.recursive(this::leaf, this::composite, 0, 4);
  }

  @Provide
  Arbitrary<Facts> facts() {
    var counts = Arbitraries.integers().between(0, 20);
    var days =
        Arbitraries.integers()
            .between(0, 60)
            .map(i -> java.time.LocalDate.of(2027, 12, 1).plusDays(i))
            .set()
            .ofMaxSize(30);
    return net.jqwik.api.Combinators.combine(
            Arbitraries.longs().between(0, 5_000), counts, counts, counts, days)
        .as(
            (xp, passed, failed, perfect, d) ->
                new Facts(
                    xp,
                    java.util.Map.of(AttemptStatus.PASSED, passed, AttemptStatus.FAILED, failed),
                    Math.min(perfect, passed + failed),
                    java.util.Map.of("java", passed),
                    new java.util.TreeSet<>(d)));
  }

  private Arbitrary<Condition> leaf() {
    var count = Arbitraries.integers().between(1, Condition.MAX_COUNT);
    var small = Arbitraries.integers().between(1, 30);
    // the space only inside, so every generated tag is valid without filtering
    var tag =
        Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars("-_.#+")
            .ofMinLength(1)
            .ofMaxLength(30)
            .flatMap(
                a ->
                    Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars("-_.#+ ")
                        .ofMaxLength(33)
                        .map(b -> b.isEmpty() ? a : a + b.strip() + "x"));
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1, Condition.MAX_XP_THRESHOLD).map(Xp::new),
        Arbitraries.longs().between(1, 5_000).map(Xp::new),
        count.flatMap(
            c ->
                Arbitraries.of(AttemptStatus.class)
                    .optional()
                    .map(s -> (Condition) new AttemptCount(c, s))),
        small.map(c -> new AttemptCount(c, Optional.empty())),
        small.map(ConsecutiveDays::new),
        small.map(DistinctDays::new),
        small.map(LevelAtLeast::new),
        count.map(LevelAtLeast::new),
        small.map(PerfectScores::new),
        net.jqwik.api.Combinators.combine(tag, count).as(TagPassed::new),
        small.map(c -> new TagPassed("java", c)));
  }

  private Arbitrary<Condition> composite(Arbitrary<Condition> children) {
    var list = children.list().ofMinSize(1).ofMaxSize(4);
    return Arbitraries.oneOf(list.map(AllOf::new), list.map(AnyOf::new));
  }
}
