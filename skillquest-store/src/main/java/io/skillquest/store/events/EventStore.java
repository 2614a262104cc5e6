package io.skillquest.store.events;

import io.skillquest.store.SqlArray;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Reads the outbox in id order. Ids become visible in id order (see {@link Outbox}), so "after the
 * last id I saw" is a complete cursor: the events API pages with it, streams resume with it
 * (Last-Event-ID), and each webhook endpoint keeps one.
 */
public final class EventStore {

  /** The largest page {@link #after} returns. */
  public static final int MAX_LIMIT = 1_000;

  private static final String ALL =
      """
      SELECT id, type, user_id, created_at, data::text AS data FROM events
      WHERE id > :after ORDER BY id LIMIT :limit""";

  private static final String OF_USER =
      """
      SELECT id, type, user_id, created_at, data::text AS data FROM events
      WHERE user_id = :user AND id > :after ORDER BY id LIMIT :limit""";

  private static final String OF_TYPES =
      """
      SELECT id, type, user_id, created_at, data::text AS data FROM events
      WHERE id > :after AND type = ANY(:types) ORDER BY id LIMIT :limit""";

  private static final String LATEST = "SELECT coalesce(max(id), 0) FROM events";

  /** Bounded, so pruning a large backlog never holds many row locks or one long transaction. */
  private static final String PRUNE =
      """
      DELETE FROM events WHERE id IN (
        SELECT id FROM events WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit)""";

  static final RowMapper<Event> EVENT =
      (rs, ctx) ->
          new Event(
              rs.getLong("id"),
              rs.getString("type"),
              rs.getLong("user_id"),
              rs.getObject("created_at", OffsetDateTime.class).toInstant(),
              rs.getString("data"));

  private final Jdbi jdbi;

  public EventStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Events after {@code afterId}, oldest first.
   *
   * @param afterId the last id the reader has (0 for the oldest kept)
   * @param userId only this user's events; null for everyone's
   * @param limit 1..{@link #MAX_LIMIT}
   */
  public List<Event> after(long afterId, Long userId, int limit) {
    checkLimit(limit);
    return jdbi.withHandle(
        h ->
            (userId == null ? h.createQuery(ALL) : h.createQuery(OF_USER).bind("user", userId))
                .bind("after", afterId)
                .bind("limit", limit)
                .map(EVENT)
                .list());
  }

  /** Events of the given types after {@code afterId}, oldest first (a webhook's subscription). */
  public List<Event> afterOfTypes(long afterId, List<String> types, int limit) {
    checkLimit(limit);
    return jdbi.withHandle(
        h ->
            h.createQuery(OF_TYPES)
                .bind("after", afterId)
                .bind("types", SqlArray.varchars(types))
                .bind("limit", limit)
                .map(EVENT)
                .list());
  }

  /** The largest event id committed so far; 0 when there is none. */
  public long latestId() {
    return jdbi.withHandle(h -> h.createQuery(LATEST).mapTo(Long.class).one());
  }

  /**
   * Deletes events older than {@code retention}, at most {@code batch} per statement, statement
   * after statement until none is left.
   *
   * @return how many were deleted
   */
  public long prune(Duration retention, int batch, Instant now) {
    var cutoff = OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
    long total = 0;
    while (true) {
      int deleted =
          jdbi.withHandle(
              h -> h.createUpdate(PRUNE).bind("cutoff", cutoff).bind("limit", batch).execute());
      total += deleted;
      if (deleted < batch) {
        return total;
      }
    }
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }
}
