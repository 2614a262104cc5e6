package io.skillquest.core.streak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StreakFreezeTest {

  private static final LocalDate JAN_1 = LocalDate.parse("2026-01-01");

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  /** Days {@code from}..{@code to} (1-based, inclusive) of January 2026. */
  private static List<LocalDate> jan(int from, int to) {
    var days = new ArrayList<LocalDate>();
    for (int i = from; i <= to; i++) {
      days.add(JAN_1.plusDays(i - 1));
    }
    return days;
  }

  private static List<LocalDate> concat(List<LocalDate> a, List<LocalDate> b) {
    var out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void defaultRuleIsOneFreezePerSevenDaysAtMostTwo() {
    assertThat(FreezeRule.DEFAULT).isEqualTo(new FreezeRule(7, 2));
    assertThat(FreezeRule.DEFAULT.enabled()).isTrue();
    assertThat(FreezeRule.OFF.enabled()).isFalse();
  }

  @Test
  void sevenDaysEarnAFreeze() {
    assertThat(Streaks.of(jan(1, 6), jan(6, 6).get(0), FreezeRule.DEFAULT).freezes()).isZero();
    assertThat(Streaks.of(jan(1, 7), jan(7, 7).get(0), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(7, 7, 7, 1));
  }

  @Test
  void aHeldFreezeBridgesOneMissedDayWhichIsNotCounted() {
    var days = concat(jan(1, 7), jan(9, 9));
    assertThat(Streaks.of(days, d("2026-01-09"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(8, 8, 8, 0));
    assertThat(Streaks.of(days, d("2026-01-09"), FreezeRule.OFF))
        .isEqualTo(new Streaks(1, 7, 8, 0));
  }

  @Test
  void aGapOfTwoNeedsTwoFreezes() {
    var twoHeld = concat(jan(1, 14), jan(17, 17));
    assertThat(Streaks.of(twoHeld, d("2026-01-17"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(15, 15, 15, 0));
    var oneHeld = concat(jan(1, 7), jan(10, 10));
    assertThat(Streaks.of(oneHeld, d("2026-01-10"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(1, 7, 8, 0));
  }

  @Test
  void todayNotPlayedYetUsesNoFreezeButEachPastMissedDayDoes() {
    var days = jan(1, 7);
    assertThat(Streaks.of(days, d("2026-01-08"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(7, 7, 7, 1));
    assertThat(Streaks.of(days, d("2026-01-09"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(7, 7, 7, 0));
    assertThat(Streaks.of(days, d("2026-01-10"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(0, 7, 7, 0));
  }

  @Test
  void freezesAreCappedAtTheMaximum() {
    assertThat(Streaks.of(jan(1, 30), d("2026-01-30"), FreezeRule.DEFAULT).freezes()).isEqualTo(2);
    assertThat(Streaks.of(jan(1, 30), d("2026-01-30"), new FreezeRule(7, 3)).freezes())
        .isEqualTo(3);
    assertThat(Streaks.of(jan(1, 30), d("2026-01-30"), new FreezeRule(7, 0)).freezes()).isZero();
  }

  @Test
  void onlyRealConsecutiveDaysEarnFreezes() {
    // 10 days earn one freeze (3 days towards the next); the frozen 11th starts the count over
    var days = concat(jan(1, 10), jan(12, 17));
    assertThat(Streaks.of(days, d("2026-01-17"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(16, 16, 16, 0));
    days.add(d("2026-01-18"));
    assertThat(Streaks.of(days, d("2026-01-18"), FreezeRule.DEFAULT).freezes()).isEqualTo(1);
  }

  @Test
  void aFreezeEarnedDailyKeepsAnAlternatingStreakAlive() {
    var days = List.of(d("2026-01-01"), d("2026-01-03"), d("2026-01-05"), d("2026-01-07"));
    assertThat(Streaks.of(days, d("2026-01-07"), new FreezeRule(1, 1)))
        .isEqualTo(new Streaks(4, 4, 4, 1));
  }

  @Test
  void missingTheSpringForwardDayIsBridgedInTheUsersZone() {
    ZoneId newYork = ZoneId.of("America/New_York");
    var instants = new ArrayList<java.time.Instant>();
    for (int day = 1; day <= 7; day++) {
      instants.add(ZonedDateTime.of(2026, 3, day, 23, 30, 0, 0, newYork).toInstant());
    }
    // 2026-03-08 (23 hours long) is missed; 00:15 on the 9th is the next day, not the 8th
    instants.add(ZonedDateTime.of(2026, 3, 9, 0, 15, 0, 0, newYork).toInstant());
    var days = Streaks.days(instants, newYork);
    assertThat(days).doesNotContain(d("2026-03-08")).contains(d("2026-03-09"));
    assertThat(Streaks.of(days, d("2026-03-09"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(8, 8, 8, 0));
  }

  @Test
  void theFallBackDayCountsOnceAndIsBridgedLikeAnyOther() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    var instants = new ArrayList<java.time.Instant>();
    for (int day = 18; day <= 25; day++) {
      instants.add(ZonedDateTime.of(2026, 10, day, 0, 30, 0, 0, berlin).toInstant());
    }
    // 2026-10-25 is 25 hours long: 00:30 and 23:30 are one day; the 26th is missed, the 27th plays
    instants.add(ZonedDateTime.of(2026, 10, 25, 23, 30, 0, 0, berlin).toInstant());
    instants.add(ZonedDateTime.of(2026, 10, 27, 12, 0, 0, 0, berlin).toInstant());
    var days = Streaks.days(instants, berlin);
    assertThat(Streaks.of(days, d("2026-10-27"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(9, 9, 9, 0));
  }

  @Test
  void theLeapDayIsADayThatCanBeMissedAndFrozen() {
    var leapYear = new ArrayList<LocalDate>();
    var commonYear = new ArrayList<LocalDate>();
    for (int i = 0; i < 7; i++) {
      leapYear.add(d("2028-02-22").plusDays(i));
      commonYear.add(d("2027-02-22").plusDays(i));
    }
    leapYear.add(d("2028-03-01"));
    commonYear.add(d("2027-03-01"));
    // 2028-02-29 is missed and frozen; 2027 has no Feb 29, so the run is unbroken
    assertThat(Streaks.of(leapYear, d("2028-03-01"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(8, 8, 8, 0));
    assertThat(Streaks.of(commonYear, d("2027-03-01"), FreezeRule.DEFAULT))
        .isEqualTo(new Streaks(8, 8, 8, 1));
    assertThat(Streaks.of(leapYear, d("2028-03-01"), FreezeRule.OFF).current()).isEqualTo(1);
  }

  @Test
  void invalidRulesAreRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> new FreezeRule(0, 2));
    assertThatIllegalArgumentException().isThrownBy(() -> new FreezeRule(7, -1));
    assertThatIllegalArgumentException().isThrownBy(() -> new FreezeRule(367, 2));
    assertThatIllegalArgumentException().isThrownBy(() -> new FreezeRule(7, 101));
    assertThatIllegalArgumentException().isThrownBy(() -> new Streaks(1, 1, 1, -1));
  }

  @Property
  void withFreezesOffTheResultIsTheOldStreaks(
      @ForAll("histories") List<LocalDate> days, @ForAll @IntRange(min = 0, max = 90) int today) {
    LocalDate t = JAN_1.plusDays(today);
    assertThat(Streaks.of(days, t, FreezeRule.OFF)).isEqualTo(Streaks.of(days, t));
    assertThat(Streaks.longest(days, FreezeRule.OFF)).isEqualTo(Streaks.longest(days));
    assertThat(Streaks.of(days, t, new FreezeRule(3, 0))).isEqualTo(Streaks.of(days, t));
  }

  @Property
  void freezesHeldNeverExceedTheMaximum(
      @ForAll("histories") List<LocalDate> days,
      @ForAll @IntRange(min = 0, max = 90) int today,
      @ForAll("rules") FreezeRule rule) {
    int held = Streaks.of(days, JAN_1.plusDays(today), rule).freezes();
    assertThat(held).isBetween(0, rule.max());
  }

  @Property
  void freezesNeverShortenAStreak(
      @ForAll("histories") List<LocalDate> days,
      @ForAll @IntRange(min = 0, max = 90) int today,
      @ForAll("rules") FreezeRule rule) {
    LocalDate t = JAN_1.plusDays(today);
    Streaks with = Streaks.of(days, t, rule);
    Streaks without = Streaks.of(days, t);
    assertThat(with.longest()).isGreaterThanOrEqualTo(without.longest());
    assertThat(with.current()).isGreaterThanOrEqualTo(without.current());
    assertThat(with.longest()).isEqualTo(Streaks.longest(days, rule));
    assertThat(with.distinctDays()).isEqualTo(without.distinctDays());
  }

  @Property
  void aFrozenDayNeverCounts(
      @ForAll("rules") FreezeRule rule,
      @ForAll @IntRange(min = 1, max = 60) int before,
      @ForAll @IntRange(min = 1, max = 60) int after,
      @ForAll @IntRange(min = 1, max = 5) int gap) {
    var days = new ArrayList<LocalDate>();
    for (int i = 0; i < before; i++) {
      days.add(JAN_1.plusDays(i));
    }
    LocalDate resume = JAN_1.plusDays(before + gap);
    for (int i = 0; i < after; i++) {
      days.add(resume.plusDays(i));
    }
    LocalDate today = resume.plusDays(after - 1);
    int heldAtGap = Math.min(rule.max(), before / rule.every());
    int expected = gap <= heldAtGap ? before + after : after;
    assertThat(Streaks.of(days, today, rule).current()).isEqualTo(expected);
  }

  @Property
  void notPlayingADayNeverRaisesAStreak(
      @ForAll("histories") List<LocalDate> days,
      @ForAll @IntRange(min = 0, max = 90) int today,
      @ForAll("rules") FreezeRule rule,
      @ForAll @IntRange(min = 0, max = 1000) int pick) {
    Assume.that(!days.isEmpty());
    LocalDate t = JAN_1.plusDays(today);
    var fewer = new TreeSet<>(days);
    fewer.remove(new ArrayList<>(fewer).get(pick % fewer.size()));
    Streaks all = Streaks.of(days, t, rule);
    Streaks missing = Streaks.of(fewer, t, rule);
    assertThat(missing.longest()).isLessThanOrEqualTo(all.longest());
    assertThat(missing.current()).isLessThanOrEqualTo(all.current());
  }

  @Property
  void streaksCountOnlyActiveDays(
      @ForAll("histories") List<LocalDate> days,
      @ForAll @IntRange(min = 0, max = 90) int today,
      @ForAll("rules") FreezeRule rule) {
    LocalDate t = JAN_1.plusDays(today);
    Streaks s = Streaks.of(days, t, rule);
    long activeUpToToday = Set.copyOf(days).stream().filter(d -> !d.isAfter(t)).count();
    assertThat(s.current()).isBetween(0, s.longest());
    assertThat((long) s.current()).isLessThanOrEqualTo(activeUpToToday);
    assertThat(s.longest()).isLessThanOrEqualTo(s.distinctDays());
  }

  @Provide
  Arbitrary<List<LocalDate>> histories() {
    // dense histories, so that runs long enough to earn freezes are common
    Arbitrary<List<LocalDate>> dense =
        Arbitraries.integers()
            .between(0, 90)
            .list()
            .ofMaxSize(80)
            .map(offsets -> offsets.stream().map(JAN_1::plusDays).toList());
    Arbitrary<List<LocalDate>> runs =
        Combinators.combine(
                Arbitraries.integers().between(1, 20).list().ofMaxSize(6),
                Arbitraries.integers().between(1, 4).list().ofMaxSize(6))
            .as(StreakFreezeTest::runsAndGaps);
    return Arbitraries.oneOf(dense, runs);
  }

  @Provide
  Arbitrary<FreezeRule> rules() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 10), Arbitraries.integers().between(0, 4))
        .as(FreezeRule::new);
  }

  private static List<LocalDate> runsAndGaps(List<Integer> runs, List<Integer> gaps) {
    var days = new ArrayList<LocalDate>();
    LocalDate day = JAN_1;
    for (int i = 0; i < runs.size(); i++) {
      for (int j = 0; j < runs.get(i); j++) {
        days.add(day);
        day = day.plusDays(1);
      }
      day = day.plusDays(i < gaps.size() ? gaps.get(i) : 1);
    }
    return days;
  }
}
