package io.skillquest.store.events;

import java.time.Instant;

/**
 * One outbox row as readers see it.
 *
 * @param id increasing, and visible in id order: a reader that saw id n never later finds a new
 *     event below n
 * @param type one of {@link EventTypes#ALL}
 * @param userId whose event it is
 * @param createdAt when the transaction that wrote it began
 * @param data the payload, a JSON object as text (snake_case fields), ready to embed as is
 */
public record Event(long id, String type, long userId, Instant createdAt, String data) {

  /**
   * The event as every consumer receives it (the events API, the streams, webhook bodies): {@code
   * {"id":..,"type":"..","created_at":"..","data":{..}}}. The type is one of a fixed set of plain
   * names and the time an ISO-8601 instant, so neither needs escaping.
   */
  public String json() {
    return "{\"id\":"
        + id
        + ",\"type\":\""
        + type
        + "\",\"created_at\":\""
        + createdAt
        + "\",\"data\":"
        + data
        + "}";
  }
}
