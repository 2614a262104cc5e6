package io.skillquest.server.challenge;

import java.util.List;

/**
 * Validated values to write. For an insert every field is set; for a PATCH a {@code null} field is
 * left unchanged (every challenge column is NOT NULL, so null never means "clear").
 */
public record ChallengeChanges(
    String title,
    String description,
    Integer xp,
    String difficulty,
    List<String> tags,
    Integer passScore,
    Boolean published) {}
