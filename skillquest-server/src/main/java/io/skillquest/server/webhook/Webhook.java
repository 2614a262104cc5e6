package io.skillquest.server.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint as admins see it; never its secret.
 *
 * @param disabledReason why the worker disabled it (null while enabled or when an admin did)
 */
public record Webhook(
    long id,
    String url,
    List<String> events,
    boolean enabled,
    String disabledReason,
    Instant createdAt,
    Instant updatedAt) {}
