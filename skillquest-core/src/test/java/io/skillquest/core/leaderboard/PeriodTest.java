package io.skillquest.core.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class PeriodTest {

  @Test
  void parsesWireNamesAndDefaultsToAll() {
    assertThat(Period.parse("all")).isEqualTo(Period.ALL);
    assertThat(Period.parse("day")).isEqualTo(Period.DAY);
    assertThat(Period.parse("week")).isEqualTo(Period.WEEK);
    assertThat(Period.parse("month")).isEqualTo(Period.MONTH);
    assertThat(Period.parse(null)).isEqualTo(Period.ALL);
  }

  @Test
  void unknownPeriodNamesTheAllowedOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Period.parse("year"))
        .withMessage("period must be one of all, day, week, month, not 'year'");
    assertThatIllegalArgumentException().isThrownBy(() -> Period.parse(""));
  }

  @Test
  void defaultRetentionIs60Days52Weeks24Months() {
    assertThat(Period.DAY.defaultRetention()).isEqualTo(60);
    assertThat(Period.WEEK.defaultRetention()).isEqualTo(52);
    assertThat(Period.MONTH.defaultRetention()).isEqualTo(24);
    assertThat(Period.ALL.windowed()).isFalse();
    assertThat(Period.WEEK.windowed()).isTrue();
  }
}
