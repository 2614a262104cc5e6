package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.util.List;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStores.class)
class RoundTripTest {

  private final StoreFixture stores;

  RoundTripTest(StoreFixture stores) {
    this.stores = stores;
  }

  private record Answers(int inserted, List<String> names, int updated, List<Long> counts) {}

  @Test
  void statementsRunInOrderEachSeeingTheOnesBefore() {
    String name = "rt-" + System.nanoTime();
    var answers =
        stores.jdbi.inTransaction(
            h ->
                RoundTrip.run(
                    h.createUpdate(
                            """
                            INSERT INTO users (username, email, password_hash)
                              SELECT n, n || '@example.com', 'h' FROM unnest(:names) AS n;
                            SELECT username FROM users WHERE username = ANY(:names) ORDER BY username;
                            UPDATE users SET level = 7 WHERE username = ANY(:names);
                            SELECT count(*) FROM users WHERE username = ANY(:names) AND level = 7""")
                        .bindArray("names", String.class, List.of(name + "-b", name + "-a")),
                    r ->
                        new Answers(
                            r.count(),
                            r.list((rs, ctx) -> rs.getString(1)),
                            r.count(),
                            r.list((rs, ctx) -> rs.getLong(1)))));
    assertThat(answers)
        .isEqualTo(new Answers(2, List.of(name + "-a", name + "-b"), 2, List.of(2L)));
    assertThat(stores.count("SELECT count(*) FROM users WHERE username LIKE ?", name + "%"))
        .isEqualTo(2);
  }

  @Test
  void aFailingStatementStopsTheRestAndFailsTheCallSoNothingCommits() {
    String name = "rt-" + System.nanoTime();
    assertThatThrownBy(
            () ->
                stores.jdbi.useTransaction(
                    h ->
                        RoundTrip.run(
                            h.createUpdate(
                                    """
                                    INSERT INTO users (username, email, password_hash)
                                      VALUES (:name, :name || '@example.com', 'h');
                                    SELECT 1 / 0;
                                    UPDATE users SET level = 9 WHERE username = :name""")
                                .bind("name", name),
                            r -> {
                              r.skip();
                              r.skip();
                              return r.count();
                            })))
        .isInstanceOf(UnableToExecuteStatementException.class)
        .hasMessageContaining("division by zero");
    assertThat(stores.count("SELECT count(*) FROM users WHERE username = ?", name)).isZero();
  }

  @Test
  void readingRowsWhereAStatementChangedRowsIsAnError() {
    assertThatThrownBy(
            () ->
                stores.jdbi.withHandle(
                    h ->
                        RoundTrip.run(
                            h.createUpdate("UPDATE users SET level = level WHERE false; SELECT 1"),
                            r -> r.list((rs, ctx) -> rs.getInt(1)))))
        .isInstanceOf(IllegalStateException.class);
  }
}
