package io.skillquest.server.webhook;

import java.time.Instant;

/**
 * One event's delivery to one endpoint.
 *
 * @param status pending (not yet delivered, or waiting for its next try), succeeded, or failed (out
 *     of tries; the endpoint was disabled)
 * @param nextAttemptAt when the worker tries next; null unless pending
 * @param durationMs how long the last try took
 */
public record Delivery(
    long id,
    long eventId,
    String eventType,
    String status,
    int attempts,
    Integer lastStatusCode,
    String lastError,
    Instant nextAttemptAt,
    Integer durationMs,
    Instant createdAt) {}
