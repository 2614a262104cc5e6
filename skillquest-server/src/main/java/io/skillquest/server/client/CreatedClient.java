package io.skillquest.server.client;

import java.time.Instant;
import java.util.List;

/** The answer to creating an API client: the only response that ever carries its secret. */
public record CreatedClient(
    long id, String name, List<String> scopes, String secret, Instant createdAt) {}
