package io.skillquest.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.result.ResultProducer;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * Several SQL statements that do not need each other's answers, sent in one round trip.
 *
 * <p>PostgreSQL's driver splits a statement's SQL at its semicolons and sends every part before it
 * waits for the first answer, so a transaction of dependent steps costs one round trip per step
 * rather than one per statement. The statements run in order, each seeing what the ones before it
 * did; the first that fails stops the rest and fails the call, and its transaction with it.
 *
 * <pre>{@code
 * var paid = RoundTrip.run(h.createQuery(LOCK + ";\n" + PAID).bind("ids", SqlArray.bigints(ids)),
 *     results -> { results.skip(); return results.list(PAID_ROW); });
 * }</pre>
 */
public final class RoundTrip {

  /** The answers of the statements, read in the order the statements were written. */
  public static final class Results {
    private final PreparedStatement statement;
    private final StatementContext ctx;
    private boolean started;

    private Results(PreparedStatement statement, StatementContext ctx) {
      this.statement = statement;
      this.ctx = ctx;
    }

    /** The rows of the next statement, mapped. */
    public <T> List<T> list(RowMapper<T> mapper) throws SQLException {
      ResultSet rs = advance().getResultSet();
      if (rs == null) {
        throw new IllegalStateException("the next statement returned no rows");
      }
      var out = new ArrayList<T>();
      try (rs) {
        while (rs.next()) {
          out.add(mapper.map(rs, ctx));
        }
      }
      return out;
    }

    /** The number of rows the next statement changed; -1 if it returned rows instead. */
    public int count() throws SQLException {
      return advance().getUpdateCount();
    }

    /** Passes over the next statement's answer. */
    public void skip() throws SQLException {
      advance();
    }

    private PreparedStatement advance() throws SQLException {
      if (started) {
        statement.getMoreResults();
      }
      started = true;
      return statement;
    }
  }

  /** Reads the answers of a {@link RoundTrip}. */
  @FunctionalInterface
  public interface Reader<R> {
    R read(Results results) throws SQLException;
  }

  private RoundTrip() {}

  /**
   * Executes the query (its SQL holding several statements) and reads their answers.
   *
   * @param statements the statements, bound
   * @param reader reads every answer it needs, in order, before returning
   * @return what the reader returned
   */
  public static <R> R run(Query statements, Reader<R> reader) {
    return statements.execute(producer(reader));
  }

  /** {@link #run(Query, Reader)} for statements written as an update. */
  public static <R> R run(Update statements, Reader<R> reader) {
    return statements.execute(producer(reader));
  }

  private static <R> ResultProducer<R> producer(Reader<R> reader) {
    return (executed, ctx) -> {
      try {
        return reader.read(new Results(executed.get(), ctx));
      } finally {
        ctx.close();
      }
    };
  }
}
