package io.skillquest.server.attempt;

/**
 * Body of POST /attempts/{id}/submit. A {@code Long} so 10^12 is "out of range", not "malformed".
 */
public record SubmitAttempt(Long score) {}
