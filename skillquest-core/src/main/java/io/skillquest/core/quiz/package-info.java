/**
 * Quiz challenges: questions with an answer key kept on the server, and their scoring.
 *
 * <p>{@link io.skillquest.core.quiz.Quizzes} parses a quiz and a player's submission from plain
 * JSON trees, rejecting malformed ones with field-naming errors, and renders a quiz with or without
 * its answers; {@link io.skillquest.core.quiz.Quiz#score(io.skillquest.core.quiz.Submission)} turns
 * a submission into a score of 0..100.
 */
package io.skillquest.core.quiz;
