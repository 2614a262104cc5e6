package io.skillquest.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * PostgreSQL wiring shared by the server and the worker: one pool, one Jdbi, one migration path.
 */
public final class Database {

  private Database() {}

  public static HikariDataSource dataSource(StoreConfig c, String poolName, int maxPoolSize) {
    return new HikariDataSource(config(c, poolName, maxPoolSize));
  }

  /**
   * The award worker's pool: its commits do not wait for the WAL flush ({@code synchronous_commit =
   * off}). An award lost to a PostgreSQL crash in that window is lost whole, the attempt's move out
   * of 'submitted' included, so the recovery sweep pays it again: nothing is lost or doubled, and
   * awards stop queueing behind fsync. The database stays consistent either way; only the last few
   * milliseconds are redone.
   *
   * <p>Its statements are few and fixed, so each is planned once per connection and the plan kept
   * (named statements from the first execution, generic plans): planning the set-based award SQL
   * afresh for every batch cost more than running it for a batch of one.
   */
  public static HikariDataSource workerDataSource(StoreConfig c, String poolName, int maxPoolSize) {
    var hc = config(c, poolName, maxPoolSize);
    hc.setConnectionInitSql(
        "SET synchronous_commit = off; SET plan_cache_mode = force_generic_plan");
    hc.addDataSourceProperty("prepareThreshold", "1");
    return new HikariDataSource(hc);
  }

  private static HikariConfig config(StoreConfig c, String poolName, int maxPoolSize) {
    var hc = new HikariConfig();
    hc.setJdbcUrl(c.dbUrl());
    if (!c.dbUser().isEmpty()) {
      hc.setUsername(c.dbUser());
    }
    if (!c.dbPassword().isEmpty()) {
      hc.setPassword(c.dbPassword());
    }
    hc.setPoolName(poolName);
    hc.setMaximumPoolSize(maxPoolSize);
    hc.setMinimumIdle(Math.min(2, maxPoolSize));
    // Short waits: during an outage callers should fail fast and back off, not queue for 30 s.
    hc.setConnectionTimeout(3_000);
    hc.setValidationTimeout(1_000);
    hc.addDataSourceProperty("ApplicationName", poolName);
    hc.addDataSourceProperty("connectTimeout", "3");
    hc.addDataSourceProperty("socketTimeout", "30");
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    // the server's error detail quotes row values ("Key (email)=(...) already exists"): keep them
    // out of exception messages and logs
    hc.addDataSourceProperty("logServerErrorDetail", "false");
    return hc;
  }

  /**
   * A Jdbi over the pool. Statement errors name the statement but never its bound arguments (a
   * failed user insert must not log a password hash or an email), and a unique violation surfaces
   * as {@link DuplicateKeyException} naming the constraint, so callers map it to a conflict in one
   * place instead of inspecting SQLStates.
   */
  public static Jdbi jdbi(DataSource ds) {
    var jdbi = Jdbi.create(ds).installPlugin(new PostgresPlugin());
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::withoutArguments);
    jdbi.getConfig(SqlStatements.class).addExceptionHandler(DuplicateKeyException::rethrow);
    return jdbi;
  }

  /**
   * Applies sql/V*.sql (packaged as classpath:db/migration). Safe to run from several processes at
   * once.
   */
  public static void migrate(DataSource ds) {
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
  }

  /** True when PostgreSQL answers a trivial query within two seconds. */
  public static boolean ping(Jdbi jdbi) {
    try {
      return jdbi.withHandle(
              h -> h.createQuery("SELECT 1").setQueryTimeout(2).mapTo(Integer.class).one())
          == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The failure and the statement's text, never the values bound to it. */
  private static String withoutArguments(StatementException e) {
    var ctx = e.getStatementContext();
    var sql = ctx == null ? null : ctx.getRawSql();
    return sql == null ? e.getShortMessage() : e.getShortMessage() + " [statement:\"" + sql + "\"]";
  }
}
