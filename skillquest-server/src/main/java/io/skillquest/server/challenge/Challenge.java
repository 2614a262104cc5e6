package io.skillquest.server.challenge;

import java.time.Instant;
import java.util.List;

/** A challenge as stored and as sent on the wire. */
public record Challenge(
    long id,
    String title,
    String description,
    int xp,
    String difficulty,
    List<String> tags,
    int passScore,
    boolean published,
    Instant createdAt,
    Instant updatedAt) {}
