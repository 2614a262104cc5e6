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
public record Event(long id, String type, long userId, Instant createdAt, String data) {}
