package io.skillquest.core.streak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StreaksTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  @Test
  void noDaysMeansNoStreaks() {
    assertThat(Streaks.of(List.of(), d("2026-05-05"))).isEqualTo(new Streaks(0, 0, 0));
    assertThat(Streaks.longest(List.of())).isZero();
  }

  @Test
  void currentStreakEndsTodayOrYesterday() {
    var days = List.of(d("2026-05-01"), d("2026-05-02"), d("2026-05-03"));
    assertThat(Streaks.of(days, d("2026-05-03")).current()).isEqualTo(3);
    assertThat(Streaks.of(days, d("2026-05-04")).current()).isEqualTo(3);
    assertThat(Streaks.of(days, d("2026-05-05")).current()).isZero();
  }

  @Test
  void currentAndLongestDiffer() {
    var days =
        List.of(
            d("2026-04-01"),
            d("2026-04-02"),
            d("2026-04-03"),
            d("2026-04-04"),
            d("2026-04-10"),
            d("2026-04-11"));
    assertThat(Streaks.of(days, d("2026-04-11"))).isEqualTo(new Streaks(2, 4, 6));
  }

  @Test
  void daysAfterTodayDoNotExtendTheCurrentStreak() {
    var days = List.of(d("2026-04-01"), d("2026-04-02"), d("2026-04-03"));
    assertThat(Streaks.of(days, d("2026-04-02"))).isEqualTo(new Streaks(2, 3, 3));
  }

  @Test
  void duplicateDaysCollapse() {
    var days = List.of(d("2026-04-02"), d("2026-04-01"), d("2026-04-02"), d("2026-04-01"));
    assertThat(Streaks.of(days, d("2026-04-02"))).isEqualTo(new Streaks(2, 2, 2));
  }

  @Test
  void streaksRunAcrossMonthAndYearEnds() {
    assertThat(Streaks.longest(List.of(d("2026-04-30"), d("2026-05-01")))).isEqualTo(2);
    assertThat(Streaks.longest(List.of(d("2026-12-31"), d("2027-01-01"), d("2027-01-02"))))
        .isEqualTo(3);
    assertThat(Streaks.longest(List.of(d("2026-02-28"), d("2026-03-01")))).isEqualTo(2);
  }

  @Test
  void leapDayIsADayOfTheStreak() {
    assertThat(Streaks.longest(List.of(d("2028-02-28"), d("2028-02-29"), d("2028-03-01"))))
        .isEqualTo(3);
    assertThat(Streaks.longest(List.of(d("2028-02-28"), d("2028-03-01")))).isEqualTo(1);
  }

  @Test
  void daysAreCountedInTheUsersZone() {
    Instant instant = Instant.parse("2026-06-15T23:30:00Z");
    assertThat(Streaks.days(List.of(instant), ZoneId.of("UTC"))).containsExactly(d("2026-06-15"));
    assertThat(Streaks.days(List.of(instant), ZoneId.of("Europe/Berlin")))
        .containsExactly(d("2026-06-16"));
    assertThat(Streaks.days(List.of(instant), NEW_YORK)).containsExactly(d("2026-06-15"));
  }

  @Test
  void kiritimatiAndPagoPagoSeeTheSameInstantOnDifferentDays() {
    // UTC+14 and UTC-11: 25 hours apart, so one instant is two different calendar dates
    Instant instant = Instant.parse("2026-01-01T05:00:00Z");
    assertThat(Streaks.days(List.of(instant), ZoneId.of("Pacific/Kiritimati")))
        .containsExactly(d("2026-01-01"));
    assertThat(Streaks.days(List.of(instant), ZoneId.of("Pacific/Pago_Pago")))
        .containsExactly(d("2025-12-31"));
  }

  @Test
  void twoUtcDaysCanBeOneLocalDay() {
    var instants =
        List.of(Instant.parse("2026-06-15T01:00:00Z"), Instant.parse("2026-06-14T05:00:00Z"));
    assertThat(Streaks.days(instants, NEW_YORK)).containsExactly(d("2026-06-14"));
    assertThat(Streaks.days(instants, ZoneId.of("UTC")))
        .containsExactly(d("2026-06-14"), d("2026-06-15"));
  }

  @Test
  void springForwardDayStillCountsAsOneDay() {
    // 2026-03-08 is 23 hours long in New York; late evening on each day must still be consecutive
    var instants =
        List.of(
            ZonedDateTime.of(2026, 3, 7, 23, 30, 0, 0, NEW_YORK).toInstant(),
            ZonedDateTime.of(2026, 3, 8, 23, 30, 0, 0, NEW_YORK).toInstant(),
            ZonedDateTime.of(2026, 3, 9, 0, 15, 0, 0, NEW_YORK).toInstant());
    var days = Streaks.days(instants, NEW_YORK);
    assertThat(days).containsExactly(d("2026-03-07"), d("2026-03-08"), d("2026-03-09"));
    assertThat(Streaks.of(days, d("2026-03-09"))).isEqualTo(new Streaks(3, 3, 3));
  }

  @Test
  void fallBackDayStillCountsAsOneDay() {
    // 2026-11-01 is 25 hours long in New York: 00:30 and 23:30 are 24 hours apart yet the same day
    Instant early = ZonedDateTime.of(2026, 11, 1, 0, 30, 0, 0, NEW_YORK).toInstant();
    Instant late = ZonedDateTime.of(2026, 11, 1, 23, 30, 0, 0, NEW_YORK).toInstant();
    assertThat(java.time.Duration.between(early, late).toHours()).isEqualTo(24);
    assertThat(Streaks.days(List.of(early, late), NEW_YORK)).containsExactly(d("2026-11-01"));
  }

  @Test
  void daysAreSortedAndUnmodifiable() {
    var days =
        Streaks.days(
            List.of(Instant.parse("2026-01-03T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z")),
            ZoneId.of("UTC"));
    assertThat(days).containsExactly(d("2026-01-01"), d("2026-01-03"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> days.add(d("2026-01-02")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void reverseOrderedSetsAreHandled() {
    var days = new java.util.TreeSet<LocalDate>(Collections.reverseOrder());
    days.addAll(Set.of(d("2026-01-01"), d("2026-01-02"), d("2026-01-04")));
    assertThat(Streaks.longest(days)).isEqualTo(2);
  }

  @Test
  void inconsistentStreaksCannotBeBuilt() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Streaks(-1, 0, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new Streaks(3, 2, 5));
    assertThatIllegalArgumentException().isThrownBy(() -> new Streaks(1, 3, 2));
  }

  @Property
  void aRunOfNDaysIsAStreakOfN(
      @ForAll @IntRange(min = 1, max = 800) int n,
      @ForAll @IntRange(min = 0, max = 3000) int offset) {
    LocalDate start = d("2026-01-01").plusDays(offset);
    var days = new ArrayList<LocalDate>();
    for (int i = 0; i < n; i++) {
      days.add(start.plusDays(i));
    }
    Collections.shuffle(days);
    assertThat(Streaks.of(days, start.plusDays(n - 1))).isEqualTo(new Streaks(n, n, n));
  }

  @Property
  void streaksAreOrdered(
      @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 90) Integer> offsets,
      @ForAll @IntRange(min = 0, max = 90) int todayOffset) {
    var days = offsets.stream().map(i -> d("2027-12-01").plusDays(i)).toList();
    Streaks s = Streaks.of(days, d("2027-12-01").plusDays(todayOffset));
    assertThat(s.current()).isBetween(0, s.longest());
    assertThat(s.longest()).isBetween(0, s.distinctDays());
    assertThat(s.distinctDays()).isEqualTo(Set.copyOf(days).size());
  }
}
