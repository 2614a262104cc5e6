package io.skillquest.server.webhook;

import io.skillquest.store.SqlArray;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Webhook endpoints and their delivery log, as the admin routes read and change them. */
public final class WebhookDao {
  private static final String COLUMNS =
      "id, url, events, enabled, disabled_reason, created_at, updated_at";

  /**
   * An endpoint receives the events committed after it was created: its cursor starts at the newest
   * id. Ids become visible in id order, so nothing committed later is below it.
   */
  private static final String INSERT =
      """
      INSERT INTO webhooks (url, events, secret, enabled, cursor)
      VALUES (:url, :events, :secret, :enabled, (SELECT coalesce(max(id), 0) FROM events))
      RETURNING\s"""
          + COLUMNS;

  private static final String LIST = "SELECT " + COLUMNS + " FROM webhooks ORDER BY id";
  private static final String FIND = "SELECT " + COLUMNS + " FROM webhooks WHERE id = :id";

  /** Enabling again clears the reason the worker gave for disabling. */
  private static final String UPDATE =
      """
      UPDATE webhooks SET
        url = coalesce(CAST(:url AS text), url),
        events = coalesce(CAST(:events AS text[]), events),
        enabled = coalesce(CAST(:enabled AS boolean), enabled),
        disabled_reason = CASE WHEN CAST(:enabled AS boolean) THEN NULL ELSE disabled_reason END,
        updated_at = now()
      WHERE id = :id RETURNING\s"""
          + COLUMNS;

  private static final String DELETE = "DELETE FROM webhooks WHERE id = :id";

  private static final String DELIVERY_COLUMNS =
      """
      id, event_id, event_type, status, attempts, last_status_code, last_error, next_attempt_at,
      duration_ms, created_at""";

  private static final String DELIVERIES =
      "SELECT "
          + DELIVERY_COLUMNS
          + " FROM webhook_deliveries WHERE webhook_id = :webhook ORDER BY id DESC LIMIT :limit";

  /**
   * A fresh set of tries, due now; it goes out in event order with the endpoint's other pending.
   */
  private static final String RESEND =
      "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(),"
          + " last_error = NULL, updated_at = now() WHERE id = :id AND webhook_id = :webhook"
          + " RETURNING "
          + DELIVERY_COLUMNS;

  private static final RowMapper<Webhook> WEBHOOK =
      (rs, ctx) ->
          new Webhook(
              rs.getLong("id"),
              rs.getString("url"),
              List.of((String[]) rs.getArray("events").getArray()),
              rs.getBoolean("enabled"),
              rs.getString("disabled_reason"),
              instant(rs, "created_at"),
              instant(rs, "updated_at"));

  private static final RowMapper<Delivery> DELIVERY =
      (rs, ctx) ->
          new Delivery(
              rs.getLong("id"),
              rs.getLong("event_id"),
              rs.getString("event_type"),
              rs.getString("status"),
              rs.getInt("attempts"),
              rs.getObject("last_status_code", Integer.class),
              rs.getString("last_error"),
              instant(rs, "next_attempt_at"),
              rs.getObject("duration_ms", Integer.class),
              instant(rs, "created_at"));

  private final Jdbi jdbi;

  public WebhookDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Webhook insert(String url, List<String> events, String secret, boolean enabled) {
    return jdbi.withHandle(
        h ->
            h.createQuery(INSERT)
                .bind("url", url)
                .bind("events", SqlArray.varchars(events))
                .bind("secret", secret)
                .bind("enabled", enabled)
                .map(WEBHOOK)
                .one());
  }

  public List<Webhook> list() {
    return jdbi.withHandle(h -> h.createQuery(LIST).map(WEBHOOK).list());
  }

  public Optional<Webhook> find(long id) {
    return jdbi.withHandle(h -> h.createQuery(FIND).bind("id", id).map(WEBHOOK).findOne());
  }

  /** Null fields stay as they are. */
  public Optional<Webhook> update(long id, String url, List<String> events, Boolean enabled) {
    return jdbi.withHandle(
        h -> {
          var q = h.createQuery(UPDATE).bind("id", id).bind("url", url).bind("enabled", enabled);
          if (events == null) {
            q.bindNull("events", java.sql.Types.ARRAY);
          } else {
            q.bind("events", SqlArray.varchars(events));
          }
          return q.map(WEBHOOK).findOne();
        });
  }

  public boolean delete(long id) {
    return jdbi.withHandle(h -> h.createUpdate(DELETE).bind("id", id).execute() > 0);
  }

  /** The endpoint's deliveries, newest first. */
  public List<Delivery> deliveries(long webhookId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(DELIVERIES)
                .bind("webhook", webhookId)
                .bind("limit", limit)
                .map(DELIVERY)
                .list());
  }

  /** Queues the delivery again with a fresh set of tries; empty when it is not the endpoint's. */
  public Optional<Delivery> resend(long webhookId, long deliveryId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(RESEND)
                .bind("id", deliveryId)
                .bind("webhook", webhookId)
                .map(DELIVERY)
                .findOne());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
