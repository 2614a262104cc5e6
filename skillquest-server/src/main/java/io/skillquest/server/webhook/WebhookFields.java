package io.skillquest.server.webhook;

import java.util.List;

/** The writable fields of an endpoint as they arrive, for both POST and PATCH. */
public record WebhookFields(String url, List<String> events, Boolean enabled) {}
