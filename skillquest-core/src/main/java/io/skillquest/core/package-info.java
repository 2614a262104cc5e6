/**
 * SkillQuest's pure domain: XP and levels ({@link io.skillquest.core.xp}), badge conditions and
 * their evaluation ({@link io.skillquest.core.badge}), streaks ({@link io.skillquest.core.streak}),
 * the leaderboard score encoding ({@link io.skillquest.core.leaderboard}) and the award queue's
 * message format and Redis key names ({@link io.skillquest.core.queue}).
 *
 * <p>Everything here is JDK-only, immutable and free of I/O, so it can be embedded in any JVM
 * application and shared by the server and the worker without either owning the rules.
 */
package io.skillquest.core;
