package io.skillquest.server.challenge;

import java.util.List;

/** One page of the challenge catalogue; {@code total} counts every match, not just this page. */
public record ChallengePage(List<Challenge> items, long total, int limit, int offset) {}
