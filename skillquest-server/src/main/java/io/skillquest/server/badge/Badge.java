package io.skillquest.server.badge;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * A badge as stored and as sent; {@code condition} is the canonical jsonb text, written into the
 * JSON as is.
 */
public record Badge(
    long id,
    String name,
    String description,
    @JsonRawValue String condition,
    String iconUrl,
    Instant createdAt) {}
