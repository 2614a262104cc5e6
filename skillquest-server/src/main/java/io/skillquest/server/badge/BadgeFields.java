package io.skillquest.server.badge;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The writable fields of a badge as they arrive, for both POST and PATCH; {@link BadgeValidator}
 * checks them.
 */
public record BadgeFields(String name, String description, JsonNode condition, String iconUrl) {}
