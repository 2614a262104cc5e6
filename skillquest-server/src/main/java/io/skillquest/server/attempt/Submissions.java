package io.skillquest.server.attempt;

import io.skillquest.core.queue.AwardTask;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Submitting: commit the attempt as {@code submitted}, then enqueue it for the worker. The database
 * is the source of truth, so a failed enqueue is only logged: the worker's recovery sweep finds the
 * row.
 */
final class Submissions {
  private static final Logger log = LoggerFactory.getLogger(Submissions.class);

  private final AttemptDao attempts;
  private final Services services;

  Submissions(AttemptDao attempts, Services services) {
    this.attempts = attempts;
    this.services = services;
  }

  Attempt submit(long attemptId, long userId, int score, boolean admin) {
    var submitted =
        attempts
            .submit(attemptId, userId, score, admin)
            .orElseThrow(
                () -> {
                  var existing = attempts.find(attemptId, userId);
                  if (existing.isEmpty()) {
                    return notFound(attemptId);
                  }
                  return "started".equals(existing.get().status())
                      ? Problem.notFound(
                          "challenge " + existing.get().challengeId() + " is no longer available")
                      : Problem.conflict("attempt " + attemptId + " has already been submitted");
                });
    enqueue(submitted);
    return submitted;
  }

  private void enqueue(Attempt a) {
    try {
      services
          .redis()
          .lpush(services.keys().queue(), new AwardTask(a.id(), a.submittedAt()).toJson());
    } catch (JedisException e) {
      log.warn(
          "could not enqueue attempt {} ({}); the recovery sweep will pick it up",
          a.id(),
          e.toString());
    }
  }

  static Problem notFound(long id) {
    return Problem.notFound("no such attempt: " + id);
  }
}
