package io.skillquest.server.attempt;

/**
 * What decides whether an attempt may be submitted: its status, how its challenge is scored,
 * whether the caller can still see the challenge, and the stored quiz it is scored against (JSON
 * text with the answer key, null when the challenge is not a quiz).
 */
record Submitting(
    String status, long challengeId, String scoring, boolean available, String questions) {}
