package io.skillquest.server.attempt;

/**
 * Body of POST /attempts/{id}/submit: a {@code score} for a self-scored challenge, or the {@code
 * answers} to a quiz (a plain JSON tree the quiz rules parse, so their errors name the bad field).
 * The score is a {@code Long} so 10^12 is "out of range", not "malformed".
 */
public record SubmitAttempt(Long score, Object answers) {}
