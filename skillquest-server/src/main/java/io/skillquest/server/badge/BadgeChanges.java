package io.skillquest.server.badge;

/**
 * Validated values to write. In a PATCH a null name, description or condition is left unchanged,
 * while {@code iconUrl} is written whenever {@code setIconUrl} (null then clears it). {@code
 * condition} is canonical JSON.
 */
public record BadgeChanges(
    String name, String description, String condition, String iconUrl, boolean setIconUrl) {}
