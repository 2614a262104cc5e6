package io.skillquest.server.attempt;

import java.util.List;

/** One page of the caller's attempts, newest first; {@code total} counts every match. */
public record AttemptPage(List<Attempt> items, long total, int limit, int offset) {}
