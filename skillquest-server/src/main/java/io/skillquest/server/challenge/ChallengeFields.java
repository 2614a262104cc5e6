package io.skillquest.server.challenge;

import java.util.List;

/**
 * The writable fields of a challenge as they arrive, for both POST and PATCH. Boxed and nullable so
 * a missing field can be told from a zero; {@link ChallengeValidator} checks them. {@code
 * questions} is a plain JSON tree, parsed by the quiz rules so their errors name the bad field.
 */
public record ChallengeFields(
    String title,
    String description,
    Long xp,
    String difficulty,
    List<String> tags,
    Long passScore,
    Boolean published,
    String scoring,
    Object questions) {}
