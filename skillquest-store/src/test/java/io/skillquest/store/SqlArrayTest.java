package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStores.class)
class SqlArrayTest {

  private final StoreFixture stores;

  SqlArrayTest(StoreFixture stores) {
    this.stores = stores;
  }

  private record Row(long id, int n, String text, Instant at) {}

  private String typeAndElements(SqlArray array) {
    return stores.jdbi.withHandle(
        h ->
            h.createQuery("SELECT pg_typeof(:a)::text || ' ' || array_to_json(:a)::text")
                .bind("a", array)
                .mapTo(String.class)
                .one());
  }

  @Test
  void eachKindBindsItsPostgresTypeWithEveryElementInOrder() {
    assertThat(typeAndElements(SqlArray.bigints(List.of(3L, Long.MAX_VALUE, -1L))))
        .isEqualTo("bigint[] [3,9223372036854775807,-1]");
    assertThat(typeAndElements(SqlArray.integers(List.of(7, Integer.MIN_VALUE))))
        .isEqualTo("integer[] [7,-2147483648]");
    assertThat(typeAndElements(SqlArray.varchars(List.of("b", "a"))))
        .isEqualTo("character varying[] [\"b\",\"a\"]");
    assertThat(typeAndElements(SqlArray.bigints(List.of()))).isEqualTo("bigint[] []");
  }

  @Test
  void textThatLooksLikeArraySyntaxArrivesUnchanged() {
    var awkward =
        List.of("{a,b}", "quote \" and \\ backslash", "comma, space", "NULL", "", "ünïcødé ✓");
    List<String> back =
        stores.jdbi.withHandle(
            h ->
                h.createQuery("SELECT t FROM unnest(:a) WITH ORDINALITY AS u(t, i) ORDER BY i")
                    .bind("a", SqlArray.varchars(awkward))
                    .mapTo(String.class)
                    .list());
    assertThat(back).isEqualTo(awkward);
  }

  @Test
  void columnsOfRowsLineUpElementByElement() {
    var rows =
        List.of(
            new Row(1, 10, "x", Instant.parse("2026-11-30T20:44:00.123456Z")),
            new Row(2, 20, "y", Instant.parse("1999-12-31T23:59:59Z")));
    List<String> back =
        stores.jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT id || ' ' || n || ' ' || t || ' ' || (at AT TIME ZONE 'UTC')
                        FROM unnest(:ids, :ns, :texts, :ats) AS v(id, n, t, at) ORDER BY id""")
                    .bind("ids", SqlArray.bigints(rows, Row::id))
                    .bind("ns", SqlArray.integers(rows, Row::n))
                    .bind("texts", SqlArray.varchars(rows, Row::text))
                    .bind("ats", SqlArray.timestamps(rows, Row::at))
                    .mapTo(String.class)
                    .list());
    assertThat(back)
        .containsExactly("1 10 x 2026-11-30 20:44:00.123456", "2 20 y 1999-12-31 23:59:59");
  }

  @Test
  void aNullElementStaysNull() {
    Boolean[] nulls =
        stores.jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT array_agg(x IS NULL ORDER BY i) FROM unnest(:a) WITH ORDINALITY AS u(x, i)")
                    .bind("a", SqlArray.bigints(Arrays.asList(1L, null, 3L)))
                    .mapTo(Boolean[].class)
                    .one());
    assertThat(nulls).containsExactly(false, true, false);
  }

  @Test
  void printsItsTypeAndElementsForErrorMessages() {
    assertThat(SqlArray.integers(List.of(1, 2))).hasToString("integer[1, 2]");
  }
}
