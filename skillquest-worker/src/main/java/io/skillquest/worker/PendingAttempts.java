package io.skillquest.worker;

import java.util.List;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Attempts whose award task went missing: submitted, and still unprocessed after the grace period.
 */
interface PendingAttempts {

  @SqlQuery(
      "SELECT id FROM attempts WHERE status = 'submitted' "
          + "AND submitted_at < now() - make_interval(secs => :graceSeconds) "
          + "ORDER BY submitted_at LIMIT :limit")
  List<Long> overdue(double graceSeconds, int limit);
}
