package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStores.class)
class DatabaseTest {
  private static final String INSERT_USER =
      "INSERT INTO users (username, email, password_hash) VALUES (:name, :email, :hash)";

  private final StoreFixture stores;

  DatabaseTest(StoreFixture stores) {
    this.stores = stores;
  }

  private void insert(String name, String email, String hash) {
    stores.jdbi.useHandle(
        h ->
            h.createUpdate(INSERT_USER)
                .bind("name", name)
                .bind("email", email)
                .bind("hash", hash)
                .execute());
  }

  @Test
  void aUniqueViolationNamesItsConstraintAndNoValue() {
    insert("dana", "dana@example.com", "hash-one");
    assertThatThrownBy(() -> insert("DANA", "other@example.com", "$2b$12$secret-hash"))
        .isInstanceOfSatisfying(
            DuplicateKeyException.class,
            e -> assertThat(e.constraint()).isEqualTo("users_username_key"))
        .hasMessageNotContaining("secret-hash")
        .hasMessageNotContaining("DANA");
    assertThatThrownBy(() -> insert("erin", "DANA@example.com", "h"))
        .isInstanceOfSatisfying(
            DuplicateKeyException.class,
            e -> assertThat(e.constraint()).isEqualTo("users_email_key"));
  }

  @Test
  void statementErrorsNameTheStatementButNeverItsArguments() {
    // a NUL byte cannot be stored: the statement fails with the arguments bound
    assertThatThrownBy(() -> insert("frank", "frank@example.com", "hash-with-\u0000-secret"))
        .isInstanceOf(UnableToExecuteStatementException.class)
        .hasMessageContaining("INSERT INTO users")
        .hasMessageNotContaining("frank@example.com")
        .hasMessageNotContaining("secret");
  }

  @Test
  void pingSaysWhetherPostgresAnswers() {
    assertThat(Database.ping(stores.jdbi)).isTrue();
  }
}
