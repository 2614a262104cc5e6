/**
 * Badge conditions, their JSON form and their evaluation.
 *
 * <p>A badge's condition is a {@link io.skillquest.core.badge.Condition}, parsed from and rendered
 * to a plain JSON tree by {@link io.skillquest.core.badge.Conditions}; malformed conditions are
 * rejected when a badge is created, never when it is evaluated. {@link
 * io.skillquest.core.badge.BadgeEvaluator} decides every candidate badge for a user from one {@link
 * io.skillquest.core.badge.Facts} value, so the caller reads a user's facts in a fixed number of
 * queries however many badges exist.
 */
package io.skillquest.core.badge;
