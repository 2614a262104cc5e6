package io.skillquest.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwardTaskTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void writesTheVersionOneShape() {
    assertThat(new AwardTask(123, AT).toJson())
        .isEqualTo("{\"v\":1,\"attempt_id\":123,\"submitted_at\":\"2026-01-01T00:00:00Z\"}");
  }

  @Test
  void readsTheVersionOneShape() {
    assertThat(
            AwardTask.parse(
                "{\"v\":1,\"attempt_id\":123,\"submitted_at\":\"2026-01-01T00:00:00Z\"}"))
        .isEqualTo(new AwardTask(123, AT));
  }

  @Test
  void toleratesWhitespaceAndAnyKeyOrder() {
    String json =
        " \n{ \"submitted_at\" :\t\"2026-01-01T00:00:00Z\" ,\r\n \"attempt_id\": 123 , \"v\" : 1 }\n ";
    assertThat(AwardTask.parse(json)).isEqualTo(new AwardTask(123, AT));
  }

  @Test
  void keepsSubSecondPrecision() {
    var task = new AwardTask(Long.MAX_VALUE, Instant.parse("2026-05-06T07:08:09.123456789Z"));
    assertThat(AwardTask.parse(task.toJson())).isEqualTo(task);
  }

  @Property
  void roundTrips(
      @ForAll @LongRange(min = 1) long id,
      @ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long seconds,
      @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
    var task = new AwardTask(id, Instant.ofEpochSecond(seconds, nanos));
    assertThat(AwardTask.parse(task.toJson())).isEqualTo(task);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``|expected '{'",
        "`   `|expected '{'",
        "`[]`|expected '{'",
        "`{}`|missing field 'v'",
        "`{\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|missing field 'v'",
        "`{\"v\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|missing field 'attempt_id'",
        "`{\"v\":1,\"attempt_id\":1}`|missing field 'submitted_at'",
        "`{\"v\":2,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|unsupported task version 2",
        "`{\"v\":2,\"task\":\"x\",\"extra\":true}`|unsupported task version 2",
        "`{\"v\":0,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|unsupported task version 0",
        "`{\"v\":\"1\",\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|v must be an integer",
        "`{\"v\":1.0,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|v must be an integer",
        "`{\"v\":1,\"attempt_id\":0,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be positive: 0",
        "`{\"v\":1,\"attempt_id\":-5,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be positive: -5",
        "`{\"v\":1,\"attempt_id\":9223372036854775808,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id is out of range",
        "`{\"v\":1,\"attempt_id\":-9223372036854775809,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id is out of range",
        "`{\"v\":1,\"attempt_id\":1e3,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be an integer",
        "`{\"v\":1,\"attempt_id\":12.5,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be an integer",
        "`{\"v\":1,\"attempt_id\":007,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must not have leading zeros",
        "`{\"v\":1,\"attempt_id\":\"7\",\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be an integer",
        "`{\"v\":1,\"attempt_id\":null,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be an integer",
        "`{\"v\":1,\"attempt_id\":-,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|attempt_id must be an integer",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":12}`|submitted_at must be a string",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"yesterday\"}`|submitted_at is not an ISO-8601 instant: 'yesterday'",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01\"}`|submitted_at is not an ISO-8601 instant",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"`|expected '}'",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z}`|unterminated string",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}x`|unexpected characters after the task",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}{}`|unexpected characters after the task",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\",}`|field name must be a string",
        "`{\"v\":1,\"attempt_id\":1,,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|field name must be a string",
        "`{\"v\":1 \"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|expected '}'",
        "`{\"v\" 1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|expected ':'",
        "`{v:1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|field name must be a string",
        "`{\"v\":1,\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|duplicate field 'v'",
        "`{\"v\":1,\"attempt_id\":1,\"attempt_id\":2,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|duplicate field 'attempt_id'",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\",\"user_id\":5}`|unknown field 'user_id'",
        "`{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\",\"x\":{}}`|unexpected value",
        "`{\"v\":1,\"attempt_\\u0069d\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}`|escape sequences are not supported",
      })
  void rejectsMalformedTasks(String json, String message) {
    assertThatThrownBy(() -> AwardTask.parse(json))
        .isInstanceOf(MalformedTaskException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsNullAndOversizedMessages() {
    assertThatThrownBy(() -> AwardTask.parse(null))
        .isInstanceOf(MalformedTaskException.class)
        .hasMessage("task is null");
    String padded =
        "{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01T00:00:00Z\"}"
            + " ".repeat(AwardTask.MAX_LENGTH);
    assertThatThrownBy(() -> AwardTask.parse(padded))
        .isInstanceOf(MalformedTaskException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void rejectsControlCharactersInStrings() {
    assertThatThrownBy(
            () ->
                AwardTask.parse(
                    "{\"v\":1,\"attempt_id\":1,\"submitted_at\":\"2026-01-01\nT00:00:00Z\"}"))
        .isInstanceOf(MalformedTaskException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void tasksNeedAPositiveIdAndATime() {
    assertThatIllegalArgumentException().isThrownBy(() -> new AwardTask(0, AT));
    assertThatIllegalArgumentException().isThrownBy(() -> new AwardTask(-1, AT));
    assertThatThrownBy(() -> new AwardTask(1, null)).isInstanceOf(NullPointerException.class);
  }
}
