package io.skillquest.worker;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Attempts whose award task went missing: submitted, and still unprocessed after the grace period.
 */
final class PendingAttemptDao {

  static final String OVERDUE =
      """
      SELECT id FROM attempts WHERE status = 'submitted'
        AND submitted_at < now() - make_interval(secs => :graceSeconds)
      ORDER BY submitted_at LIMIT :limit""";

  private final Jdbi jdbi;

  PendingAttemptDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Long> overdue(double graceSeconds, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(OVERDUE)
                .bind("graceSeconds", graceSeconds)
                .bind("limit", limit)
                .mapTo(Long.class)
                .list());
  }
}
