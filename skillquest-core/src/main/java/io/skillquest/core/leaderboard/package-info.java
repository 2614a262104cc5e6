/**
 * The leaderboard's sorted-set score: total XP and the time it was reached, in one exact double.
 */
package io.skillquest.core.leaderboard;
