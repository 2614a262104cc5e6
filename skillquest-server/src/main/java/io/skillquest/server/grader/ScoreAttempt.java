package io.skillquest.server.grader;

/**
 * Body of POST /grader/attempts/{id}/score; a {@code Long} so 10^12 is out of range, not malformed.
 */
public record ScoreAttempt(Long score) {}
