package io.skillquest.server.user;

import java.time.Instant;

/** A badge the caller holds, with when it was awarded. */
public record EarnedBadge(
    long id, String name, String description, String iconUrl, Instant awardedAt) {}
