package io.skillquest.server.grader;

/**
 * Body of POST /grader/results: the user by {@code userId} or {@code username} (exactly one), and
 * {@code occurredAt} as RFC 3339 text, parsed here so a bad one is a 400 naming the field.
 */
public record GraderResult(
    Long userId, String username, Long challengeId, Long score, String occurredAt) {}
