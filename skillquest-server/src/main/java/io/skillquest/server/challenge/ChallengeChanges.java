package io.skillquest.server.challenge;

import java.util.List;

/**
 * Validated values to write. For an insert every field is set; for a PATCH a {@code null} field is
 * left unchanged (every challenge column is NOT NULL, so null never means "clear"). {@code
 * questions} is the quiz as stored JSON text, with its answer key; it is null when unchanged, and
 * is dropped whenever the challenge's scoring is not {@code quiz}.
 */
public record ChallengeChanges(
    String title,
    String description,
    Integer xp,
    String difficulty,
    List<String> tags,
    Integer passScore,
    Boolean published,
    String scoring,
    String questions) {}
