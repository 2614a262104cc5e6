/**
 * Streaks of consecutive calendar days, and the streak freezes that bridge missed days.
 *
 * <p>Days are {@link java.time.LocalDate}s in the user's own time zone, so a streak follows the
 * user's calendar (midnight where they live), not UTC, and is immune to DST: a day is a date, not
 * 24 hours.
 */
package io.skillquest.core.streak;
