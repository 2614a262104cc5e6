/**
 * XP awards and levels, in exact integer arithmetic.
 *
 * <p>{@link io.skillquest.core.xp.XpRule} turns a score into XP without letting a user farm a
 * challenge twice; {@link io.skillquest.core.xp.Level} maps total XP to a level and the XP still
 * needed for the next one.
 */
package io.skillquest.core.xp;
