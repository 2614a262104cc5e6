package io.skillquest.server.webhook;

import java.time.Instant;
import java.util.List;

/** The answer to creating an endpoint: the only time its signing secret is shown. */
public record CreatedWebhook(
    long id, String url, List<String> events, boolean enabled, String secret, Instant createdAt) {}
