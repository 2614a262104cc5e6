package io.skillquest.core.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeriodWindowTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  private static Instant local(String dateTime, ZoneId zone) {
    return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
  }

  @Test
  void lastMillisecondOfALocalDayAndTheNextMidnightFallInDifferentDays() {
    Instant late = local("2026-11-29T23:59:59.999", TOKYO);
    Instant midnight = local("2026-11-30T00:00:00", TOKYO);
    var sunday = PeriodWindow.containing(Period.DAY, late, TOKYO);
    var monday = PeriodWindow.containing(Period.DAY, midnight, TOKYO);
    assertThat(sunday.id()).isEqualTo("day:2026-11-29");
    assertThat(monday.id()).isEqualTo("day:2026-11-30");
    assertThat(sunday.contains(late)).isTrue();
    assertThat(sunday.contains(midnight)).isFalse();
    assertThat(monday.contains(midnight)).isTrue();
    // in UTC both instants are on 2026-11-29 afternoon: the zone decides, not UTC
    assertThat(PeriodWindow.containing(Period.DAY, midnight, UTC).id()).isEqualTo("day:2026-11-29");
  }

  @Test
  void weekBoundaryIsSundayToMondayMidnightLocal() {
    Instant sundayNight = local("2026-11-29T23:59:59.999", NEW_YORK);
    Instant mondayMorning = local("2026-11-30T00:00:00", NEW_YORK);
    var previous = PeriodWindow.containing(Period.WEEK, sundayNight, NEW_YORK);
    var current = PeriodWindow.containing(Period.WEEK, mondayMorning, NEW_YORK);
    assertThat(previous.id()).isEqualTo("week:2026-W48");
    assertThat(current.id()).isEqualTo("week:2026-W49");
    assertThat(current.firstDay()).isEqualTo(d("2026-11-30"));
    assertThat(current.start()).isEqualTo(mondayMorning).isEqualTo(previous.end());
    assertThat(previous.next()).isEqualTo(current);
    assertThat(current.previous()).isEqualTo(previous);
  }

  @Test
  void monthBoundaryFollowsTheLocalCalendar() {
    Instant lastOfNovember = local("2026-11-30T23:59:59.999", BERLIN);
    var november = PeriodWindow.containing(Period.MONTH, lastOfNovember, BERLIN);
    assertThat(november.id()).isEqualTo("month:2026-11");
    assertThat(november.contains(lastOfNovember)).isTrue();
    assertThat(november.contains(lastOfNovember.plusMillis(1))).isFalse();
    assertThat(november.next().id()).isEqualTo("month:2026-12");
  }

  @ParameterizedTest
  @CsvSource({
    "America/New_York, 2026-03-08, 23",
    "America/New_York, 2026-11-01, 25",
    "Europe/Berlin, 2026-03-29, 23",
    "Europe/Berlin, 2026-10-25, 25",
    "Europe/Berlin, 2026-10-26, 24",
    "Australia/Lord_Howe, 2026-10-04, 23.5"
  })
  void daysAcrossDstChangesLastBetween23And25Hours(String zone, String date, double hours) {
    var day = PeriodWindow.containing(Period.DAY, d(date), ZoneId.of(zone));
    assertThat(Duration.between(day.start(), day.end()))
        .isEqualTo(Duration.ofMinutes((long) (hours * 60)));
  }

  @Test
  void weekWithTheSpringForwardIs167Hours() {
    var week = PeriodWindow.containing(Period.WEEK, d("2026-03-08"), NEW_YORK);
    assertThat(week.firstDay()).isEqualTo(d("2026-03-02"));
    assertThat(Duration.between(week.start(), week.end())).isEqualTo(Duration.ofHours(7 * 24 - 1));
  }

  @Test
  void aDayWhoseMidnightIsSkippedStartsAtItsFirstValidInstant() {
    // Sao Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04
    ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
    var day = PeriodWindow.containing(Period.DAY, d("2018-11-04"), saoPaulo);
    assertThat(day.start()).isEqualTo(Instant.parse("2018-11-04T03:00:00Z"));
    assertThat(day.previous().end()).isEqualTo(day.start());
    assertThat(Duration.between(day.start(), day.end())).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void leapDayIsItsOwnDayAndFebruaryEndsOnIt() {
    var leapDay = PeriodWindow.containing(Period.DAY, d("2028-02-29"), UTC);
    assertThat(leapDay.previous().id()).isEqualTo("day:2028-02-28");
    assertThat(leapDay.next().id()).isEqualTo("day:2028-03-01");
    assertThat(PeriodWindow.containing(Period.MONTH, d("2028-02-10"), UTC).lastDay())
        .isEqualTo(d("2028-02-29"));
    assertThat(PeriodWindow.containing(Period.MONTH, d("2026-02-10"), UTC).lastDay())
        .isEqualTo(d("2026-02-28"));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-12-28, week:2026-W53, 2026-12-28",
    "2026-12-31, week:2026-W53, 2026-12-28",
    "2027-01-01, week:2026-W53, 2026-12-28",
    "2027-01-03, week:2026-W53, 2026-12-28",
    "2027-01-04, week:2027-W01, 2027-01-04",
    "2024-12-31, week:2025-W01, 2024-12-30",
    "2021-01-03, week:2020-W53, 2020-12-28",
    "2026-01-01, week:2026-W01, 2025-12-29"
  })
  void weeksUseTheIsoWeekBasedYear(String date, String id, String monday) {
    var week = PeriodWindow.containing(Period.WEEK, d(date), UTC);
    assertThat(week.id()).isEqualTo(id);
    assertThat(week.firstDay()).isEqualTo(d(monday));
    assertThat(PeriodWindow.parse(id, UTC)).isEqualTo(week);
  }

  @ParameterizedTest
  @CsvSource({
    "0999-01-06, week:0999-W01, month:0999-01",
    "0009-11-30, week:0009-W49, month:0009-11",
    "2026-03-02, week:2026-W10, month:2026-03"
  })
  void idsZeroPadYearsWeeksAndMonths(String date, String week, String month) {
    assertThat(PeriodWindow.containing(Period.WEEK, d(date), UTC).id()).isEqualTo(week);
    assertThat(PeriodWindow.containing(Period.MONTH, d(date), UTC).id()).isEqualTo(month);
    assertThat(PeriodWindow.parse(week, UTC).id()).isEqualTo(week);
    assertThat(PeriodWindow.parse(month, UTC).id()).isEqualTo(month);
  }

  @Test
  void monthsStepAcrossShortMonthsAndYearEnds() {
    var january = PeriodWindow.containing(Period.MONTH, d("2026-01-31"), UTC);
    assertThat(january.firstDay()).isEqualTo(d("2026-01-01"));
    assertThat(january.lastDay()).isEqualTo(d("2026-01-31"));
    assertThat(january.next().lastDay()).isEqualTo(d("2026-02-28"));
    assertThat(january.previous().id()).isEqualTo("month:2025-12");
    assertThat(january.plus(13).id()).isEqualTo("month:2027-02");
    assertThat(PeriodWindow.containing(Period.MONTH, d("2026-04-30"), UTC).lastDay())
        .isEqualTo(d("2026-04-30"));
  }

  @Test
  void retentionKeepsTheCurrentWindowAndTheGivenNumberBeforeIt() {
    Instant now = Instant.parse("2026-11-30T12:00:00Z");
    var thisWeek = PeriodWindow.containing(Period.WEEK, now, UTC);
    assertThat(thisWeek.retainedAt(now, 52)).isTrue();
    assertThat(thisWeek.plus(-52).retainedAt(now, 52)).isTrue();
    assertThat(thisWeek.plus(-53).retainedAt(now, 52)).isFalse();
    assertThat(thisWeek.next().retainedAt(now, 52)).isFalse();
    assertThat(thisWeek.retainedAt(now, 0)).isTrue();
    assertThat(thisWeek.previous().retainedAt(now, 0)).isFalse();
    assertThat(thisWeek.retainedUntil(0)).isEqualTo(thisWeek.end());
    assertThat(thisWeek.retainedUntil(52)).isEqualTo(thisWeek.plus(53).start());
    assertThatIllegalArgumentException().isThrownBy(() -> thisWeek.retainedAt(now, -1));
  }

  @Test
  void invalidWindowsAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeriodWindow.containing(Period.ALL, d("2026-11-30"), UTC));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PeriodWindow(Period.WEEK, d("2026-12-01"), UTC))
        .withMessageContaining("does not start a week");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PeriodWindow(Period.MONTH, d("2026-12-02"), UTC));
    var day = PeriodWindow.containing(Period.DAY, d("2026-11-30"), UTC);
    var week = PeriodWindow.containing(Period.WEEK, d("2026-11-30"), UTC);
    assertThatIllegalArgumentException().isThrownBy(() -> day.windowsBefore(week));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "day:2026-02-30",
        "week:2026-W54",
        "week:2025-W53",
        "week:2026-W00",
        "month:2026-13",
        "year:2026",
        "day:2026-11-30x",
        "Day:2026-11-30"
      })
  void malformedIdsAreRejected(String id) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PeriodWindow.parse(id, UTC))
        .withMessageContaining("not a period window id");
  }

  @Property
  void theWindowOfAnInstantContainsIt(
      @ForAll("periods") Period period,
      @ForAll("instants") Instant instant,
      @ForAll("zones") ZoneId zone) {
    var window = PeriodWindow.containing(period, instant, zone);
    assertThat(window.contains(instant)).isTrue();
    assertThat(window.start()).isBeforeOrEqualTo(instant);
    assertThat(window.end()).isAfter(instant);
    assertThat(window.previous().contains(instant)).isFalse();
    assertThat(window.next().contains(instant)).isFalse();
    assertThat(window.next().start()).isEqualTo(window.end());
    assertThat(PeriodWindow.containing(period, window.lastDay(), zone)).isEqualTo(window);
  }

  @Property
  void idsRoundTripAndOrderLikeTheWindows(
      @ForAll("periods") Period period,
      @ForAll("instants") Instant instant,
      @ForAll("zones") ZoneId zone,
      @ForAll @IntRange(min = -400, max = 400) int steps) {
    var window = PeriodWindow.containing(period, instant, zone);
    var other = window.plus(steps);
    assertThat(PeriodWindow.parse(window.id(), zone)).isEqualTo(window);
    assertThat(window.windowsBefore(other)).isEqualTo(steps);
    assertThat(Integer.signum(window.id().compareTo(other.id()))).isEqualTo(Integer.signum(-steps));
  }

  @Property
  void retainedExactlyFromStartUntilRetainedUntil(
      @ForAll("periods") Period period,
      @ForAll("instants") Instant instant,
      @ForAll("zones") ZoneId zone,
      @ForAll @IntRange(min = 0, max = 60) int retention,
      @ForAll @IntRange(min = -5, max = 70) int windowsLater) {
    var window = PeriodWindow.containing(period, instant, zone);
    Instant now = window.plus(windowsLater).start().plusSeconds(1);
    boolean expected =
        !now.isBefore(window.start()) && now.isBefore(window.retainedUntil(retention));
    assertThat(window.retainedAt(now, retention)).isEqualTo(expected);
    assertThat(expected).isEqualTo(windowsLater >= 0 && windowsLater <= retention);
  }

  @Provide
  Arbitrary<Period> periods() {
    return Arbitraries.of(Period.DAY, Period.WEEK, Period.MONTH);
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(
            Instant.parse("1971-01-01T00:00:00Z").getEpochSecond(),
            Instant.parse("2200-01-01T00:00:00Z").getEpochSecond())
        .map(Instant::ofEpochSecond);
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(
            "UTC",
            "America/New_York",
            "Europe/Berlin",
            "Asia/Tokyo",
            "Asia/Kolkata",
            "Pacific/Chatham",
            "Australia/Lord_Howe",
            "America/Sao_Paulo",
            "Pacific/Kiritimati")
        .map(ZoneId::of);
  }
}
