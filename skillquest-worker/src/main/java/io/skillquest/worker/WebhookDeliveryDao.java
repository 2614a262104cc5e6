package io.skillquest.worker;

import io.skillquest.store.SqlArray;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The statements of {@link WebhookDispatcher}: which endpoints have work, their leases, their
 * queues of deliveries and the results of tries. Every change to an endpoint's queue is guarded by
 * the lease, so only the worker holding it moves the endpoint on.
 */
final class WebhookDeliveryDao {

  /** An endpoint as its lease holder needs it. */
  record Endpoint(long id, String url, String secret, List<String> events, long cursor) {}

  /** The oldest pending delivery of an endpoint. */
  record Pending(
      long id, long eventId, String eventType, String body, int attempts, Instant nextAttemptAt) {}

  /** One delivery to add to an endpoint's queue. */
  record NewDelivery(long eventId, String eventType, Instant eventCreatedAt, String body) {}

  /**
   * Enabled endpoints nobody else holds, with events past their cursor or a pending delivery due.
   */
  private static final String DUE =
      """
      SELECT w.id FROM webhooks w
      WHERE w.enabled AND (w.lease_until IS NULL OR w.lease_until < now() OR w.lease_owner = :me)
        AND (w.cursor < (SELECT coalesce(max(id), 0) FROM events)
             OR EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id
                          AND d.status = 'pending' AND d.next_attempt_at <= now()))
      ORDER BY w.id LIMIT :limit""";

  private static final String LEASE =
      """
      UPDATE webhooks SET lease_owner = :me, lease_until = now() + :lease * interval '1 millisecond'
      WHERE id = :id AND enabled
        AND (lease_until IS NULL OR lease_until < now() OR lease_owner = :me)
      RETURNING id, url, secret, events, cursor""";

  private static final String RENEW =
      """
      UPDATE webhooks SET lease_until = now() + :lease * interval '1 millisecond'
      WHERE id = :id AND enabled AND lease_owner = :me""";

  private static final String RELEASE =
      "UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :me";

  private static final String ENQUEUE =
      """
      INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, event_created_at, body, next_attempt_at)
      SELECT :id, v.event_id, v.event_type, v.created_at, v.body, now()
      FROM unnest(:events, :types, :times, :bodies) AS v(event_id, event_type, created_at, body)
      ON CONFLICT (webhook_id, event_id) DO NOTHING""";

  private static final String ADVANCE =
      "UPDATE webhooks SET cursor = :cursor WHERE id = :id AND lease_owner = :me AND cursor < :cursor";

  private static final String PENDING_PAGE =
      """
      SELECT id, event_id, event_type, body, attempts, next_attempt_at FROM webhook_deliveries
      WHERE webhook_id = :id AND status = 'pending' ORDER BY event_id LIMIT :limit""";

  private static final String SUCCEEDED =
      """
      UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1,
        last_status_code = :code, last_error = NULL, next_attempt_at = NULL, duration_ms = :ms,
        updated_at = now()
      WHERE id = :id AND status = 'pending'""";

  /** Out of tries: failed; otherwise pending again after the backoff. */
  private static final String FAILED =
      """
      UPDATE webhook_deliveries SET attempts = attempts + 1,
        status = CASE WHEN attempts + 1 >= :max THEN 'failed' ELSE 'pending' END,
        next_attempt_at = CASE WHEN attempts + 1 >= :max THEN NULL
                               ELSE now() + :delay * interval '1 millisecond' END,
        last_status_code = :code, last_error = :error, duration_ms = :ms, updated_at = now()
      WHERE id = :id AND status = 'pending'
      RETURNING status""";

  private static final String DISABLE =
      """
      UPDATE webhooks SET enabled = false, disabled_reason = :reason, lease_owner = NULL,
        lease_until = NULL, updated_at = now()
      WHERE id = :id""";

  /** Seconds since the oldest pending event of each enabled endpoint was committed; 0 if none. */
  private static final String LAG =
      """
      SELECT w.id, coalesce(extract(epoch FROM now() - min(d.event_created_at)), 0) AS lag
      FROM webhooks w LEFT JOIN webhook_deliveries d ON d.webhook_id = w.id AND d.status = 'pending'
      WHERE w.enabled GROUP BY w.id""";

  /** Finished deliveries past the retention, a bounded batch per statement. */
  private static final String PRUNE =
      """
      DELETE FROM webhook_deliveries WHERE id IN (
        SELECT id FROM webhook_deliveries
        WHERE status <> 'pending' AND updated_at < now() - :retention * interval '1 millisecond'
        LIMIT :limit)""";

  private static final RowMapper<Endpoint> ENDPOINT =
      (rs, ctx) ->
          new Endpoint(
              rs.getLong("id"),
              rs.getString("url"),
              rs.getString("secret"),
              List.of((String[]) rs.getArray("events").getArray()),
              rs.getLong("cursor"));

  private static final RowMapper<Pending> PENDING =
      (rs, ctx) ->
          new Pending(
              rs.getLong("id"),
              rs.getLong("event_id"),
              rs.getString("event_type"),
              rs.getString("body"),
              rs.getInt("attempts"),
              rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant());

  private final Jdbi jdbi;

  WebhookDeliveryDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Long> due(String me, int limit) {
    return jdbi.withHandle(
        h -> h.createQuery(DUE).bind("me", me).bind("limit", limit).mapTo(Long.class).list());
  }

  Optional<Endpoint> lease(long id, String me, Duration lease) {
    return jdbi.withHandle(
        h ->
            h.createQuery(LEASE)
                .bind("id", id)
                .bind("me", me)
                .bind("lease", lease.toMillis())
                .map(ENDPOINT)
                .findOne());
  }

  /** False when the lease was lost (expired and taken, or the endpoint disabled or deleted). */
  boolean renew(long id, String me, Duration lease) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(RENEW)
                    .bind("id", id)
                    .bind("me", me)
                    .bind("lease", lease.toMillis())
                    .execute()
                == 1);
  }

  void release(long id, String me) {
    jdbi.useHandle(h -> h.createUpdate(RELEASE).bind("id", id).bind("me", me).execute());
  }

  /**
   * Adds the deliveries and moves the cursor to {@code cursor} in one transaction, only while
   * {@code me} holds the lease.
   *
   * @return false when the lease was lost, and nothing changed
   */
  boolean enqueue(long id, String me, List<NewDelivery> deliveries, long cursor) {
    return jdbi.inTransaction(
        h -> {
          int moved =
              h.createUpdate(ADVANCE)
                  .bind("id", id)
                  .bind("me", me)
                  .bind("cursor", cursor)
                  .execute();
          if (moved == 0) {
            return false;
          }
          if (!deliveries.isEmpty()) {
            h.createUpdate(ENQUEUE)
                .bind("id", id)
                .bind("events", SqlArray.bigints(deliveries, NewDelivery::eventId))
                .bind("types", SqlArray.varchars(deliveries, NewDelivery::eventType))
                .bind("times", SqlArray.timestamps(deliveries, NewDelivery::eventCreatedAt))
                .bind("bodies", SqlArray.varchars(deliveries, NewDelivery::body))
                .execute();
          }
          return true;
        });
  }

  /** The endpoint's oldest pending deliveries, in event order. */
  List<Pending> pending(long id, int limit) {
    return jdbi.withHandle(
        h -> h.createQuery(PENDING_PAGE).bind("id", id).bind("limit", limit).map(PENDING).list());
  }

  void succeeded(long deliveryId, int code, long ms) {
    jdbi.useHandle(
        h ->
            h.createUpdate(SUCCEEDED)
                .bind("id", deliveryId)
                .bind("code", code)
                .bind("ms", (int) Math.min(Integer.MAX_VALUE, ms))
                .execute());
  }

  /**
   * @return true when the delivery is out of tries (now failed)
   */
  boolean failed(
      long deliveryId, Integer code, String error, long ms, int maxAttempts, Duration delay) {
    return jdbi.withHandle(
        h ->
            h.createQuery(FAILED)
                .bind("id", deliveryId)
                .bind("code", code)
                .bind("error", error)
                .bind("ms", (int) Math.min(Integer.MAX_VALUE, ms))
                .bind("max", maxAttempts)
                .bind("delay", delay.toMillis())
                .mapTo(String.class)
                .findOne()
                .map("failed"::equals)
                .orElse(false));
  }

  void disable(long id, String reason) {
    jdbi.useHandle(h -> h.createUpdate(DISABLE).bind("id", id).bind("reason", reason).execute());
  }

  /**
   * @return how many finished deliveries older than {@code retention} were deleted
   */
  long prune(Duration retention, int batch) {
    long total = 0;
    while (true) {
      int deleted =
          jdbi.withHandle(
              h ->
                  h.createUpdate(PRUNE)
                      .bind("retention", retention.toMillis())
                      .bind("limit", batch)
                      .execute());
      total += deleted;
      if (deleted < batch) {
        return total;
      }
    }
  }

  Map<Long, Double> lag() {
    return jdbi.withHandle(
        h ->
            h
                .createQuery(LAG)
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getDouble("lag")))
                .list()
                .stream()
                .collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }
}
