package io.skillquest.server.attempt;

/** Body of POST /attempts. */
public record StartAttempt(Long challengeId) {}
