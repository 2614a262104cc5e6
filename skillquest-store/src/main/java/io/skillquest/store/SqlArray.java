package io.skillquest.store;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Function;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A collection bound as one PostgreSQL array parameter, its element type named up front.
 *
 * <p>JDBI's {@code bindArray(name, type, iterable)} works the element type out by reflection on
 * every call. The award transaction binds two dozen arrays, and on a lone award that reflection
 * took more of the worker's CPU than the rest of its Java; this binds the same array (the element
 * types are the ones JDBI infers) with one driver call.
 *
 * <pre>{@code
 * h.createUpdate(SETTLE).bind("ids", SqlArray.bigints(ids))
 *     .bind("statuses", SqlArray.varchars(attempts, Attempt::status));
 * }</pre>
 */
public final class SqlArray implements Argument {

  private final String elementType;
  private final Object[] elements;

  private SqlArray(String elementType, Object[] elements) {
    this.elementType = elementType;
    this.elements = elements;
  }

  /** A {@code bigint[]} of the values. */
  public static SqlArray bigints(Collection<Long> values) {
    return new SqlArray("bigint", values.toArray());
  }

  /** A {@code bigint[]} of one column of the rows, in their order. */
  public static <T> SqlArray bigints(Collection<T> rows, Function<? super T, Long> column) {
    return new SqlArray("bigint", column(rows, column));
  }

  /** An {@code integer[]} of the values. */
  public static SqlArray integers(Collection<Integer> values) {
    return new SqlArray("integer", values.toArray());
  }

  /** An {@code integer[]} of one column of the rows, in their order. */
  public static <T> SqlArray integers(Collection<T> rows, Function<? super T, Integer> column) {
    return new SqlArray("integer", column(rows, column));
  }

  /** A {@code varchar[]} of the values. */
  public static SqlArray varchars(Collection<String> values) {
    return new SqlArray("varchar", values.toArray());
  }

  /** A {@code varchar[]} of one column of the rows, in their order. */
  public static <T> SqlArray varchars(Collection<T> rows, Function<? super T, String> column) {
    return new SqlArray("varchar", column(rows, column));
  }

  /** A {@code timestamp with time zone[]} of one column of the rows, in their order. */
  public static <T> SqlArray timestamps(Collection<T> rows, Function<? super T, Instant> column) {
    return new SqlArray(
        "timestamp with time zone",
        column(rows, row -> OffsetDateTime.ofInstant(column.apply(row), ZoneOffset.UTC)));
  }

  private static <T> Object[] column(Collection<T> rows, Function<? super T, ?> column) {
    var out = new Object[rows.size()];
    int i = 0;
    for (T row : rows) {
      out[i++] = column.apply(row);
    }
    return out;
  }

  @Override
  public void apply(int position, PreparedStatement statement, StatementContext ctx)
      throws SQLException {
    Array array = statement.getConnection().createArrayOf(elementType, elements);
    ctx.addCleanable(array::free);
    statement.setArray(position, array);
  }

  @Override
  public String toString() {
    return elementType + Arrays.toString(elements);
  }
}
