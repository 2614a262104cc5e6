package io.skillquest.server.attempt;

import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Services;
import java.time.Instant;

/**
 * Scores given by a trusted grader to attempts of external challenges. They take the same path as a
 * player's submit: the attempt is committed {@code submitted}, then enqueued for the worker, whose
 * recovery sweep finds it if the enqueue fails; so the same guarantees hold (nothing lost or
 * doubled when a worker dies, Redis is down or several workers run).
 */
public final class Grades {
  private final AttemptDao attempts;
  private final Submissions submissions;

  public Grades(Services services) {
    this.attempts = new AttemptDao(services.jdbi());
    this.submissions = new Submissions(attempts, services);
  }

  /** Scores a started (or scored but not yet awarded) attempt of an external challenge. */
  public Attempt score(long attemptId, int score) {
    var graded = attempts.grade(attemptId, score).orElseThrow(() -> refusal(attemptId));
    submissions.enqueue(graded);
    return graded;
  }

  /**
   * Records a finished attempt of an external challenge for a user.
   *
   * @param user the user's id (a {@code Long}) or username (a {@code String})
   * @param occurredAt when it happened, already checked to be recent; null for now
   */
  public Attempt record(Object user, long challengeId, int score, Instant occurredAt) {
    var recorded =
        attempts
            .record(user, challengeId, score, occurredAt)
            .orElseThrow(() -> recordRefusal(user, challengeId));
    submissions.enqueue(recorded);
    return recorded;
  }

  private Problem refusal(long attemptId) {
    var state = attempts.grading(attemptId);
    if (state.isEmpty()) {
      return Submissions.notFound(attemptId);
    }
    var s = state.get();
    if (!s.available()) {
      return Problem.notFound("challenge " + s.challengeId() + " is no longer available");
    }
    if (!"external".equals(s.scoring())) {
      return notExternal(s.challengeId(), s.scoring());
    }
    return Problem.conflict(
        "attempt " + attemptId + " has already been processed (it is " + s.status() + ")");
  }

  private Problem recordRefusal(Object user, long challengeId) {
    var scoring = attempts.scoringOf(challengeId);
    if (scoring.isEmpty()) {
      return Problem.notFound("no such challenge: " + challengeId);
    }
    if (!"external".equals(scoring.get())) {
      return notExternal(challengeId, scoring.get());
    }
    if (!attempts.userExists(user)) {
      return Problem.notFound(
          user instanceof Long ? "no such user: " + user : "no such username: " + user);
    }
    // both exist now: the challenge changed or the user appeared in between; let the caller retry
    return Problem.conflict("the user or challenge changed while recording; retry");
  }

  private static Problem notExternal(long challengeId, String scoring) {
    return Problem.conflict(
        "challenge "
            + challengeId
            + " is scored "
            + ("quiz".equals(scoring) ? "by its quiz" : "by its owner (self)")
            + ", not by a grader: only attempts of external challenges take a grader's score");
  }
}
