package io.skillquest.server.attempt;

import java.time.Instant;

/**
 * An attempt as stored and as sent on the wire; {@code status} is the wire name (started,
 * submitted, ...).
 */
public record Attempt(
    long id,
    long challengeId,
    long userId,
    String status,
    Integer score,
    int xpAwarded,
    Instant startedAt,
    Instant submittedAt,
    Instant processedAt) {}
