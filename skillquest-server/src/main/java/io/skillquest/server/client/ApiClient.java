package io.skillquest.server.client;

import java.time.Instant;
import java.util.List;

/**
 * An API client as admins see it: never its secret (shown once, at creation), only what it may do
 * and whether it is still in use.
 */
public record ApiClient(
    long id,
    String name,
    List<String> scopes,
    Instant createdAt,
    Instant lastUsedAt,
    boolean revoked,
    Instant revokedAt) {}
