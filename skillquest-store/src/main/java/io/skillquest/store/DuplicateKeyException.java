package io.skillquest.store;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementContext;
import org.postgresql.util.PSQLException;

/**
 * A statement would have broken a unique constraint: the row already exists. Thrown in place of
 * Jdbi's generic statement exception, so one handler can answer it as a conflict.
 */
public final class DuplicateKeyException extends RuntimeException {

  private static final String UNIQUE_VIOLATION = "23505";

  private final String constraint;

  public DuplicateKeyException(String constraint, Throwable cause) {
    super("duplicate key for constraint " + constraint, cause);
    this.constraint = constraint;
  }

  /** The violated constraint's name, e.g. {@code users_username_key}; empty when unknown. */
  public String constraint() {
    return constraint;
  }

  static void rethrow(SQLException e, StatementContext ctx) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      String name = null;
      if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
        name = pe.getServerErrorMessage().getConstraint();
      }
      throw new DuplicateKeyException(name == null ? "" : name, e);
    }
  }
}
