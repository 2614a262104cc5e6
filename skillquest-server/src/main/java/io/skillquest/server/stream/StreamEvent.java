package io.skillquest.server.stream;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * An outbox event as a stream sends it: {@code {id, type, created_at, data}}, {@code data} being
 * the stored payload object as is.
 */
record StreamEvent(long id, String type, Instant createdAt, @JsonRawValue String data) {}
