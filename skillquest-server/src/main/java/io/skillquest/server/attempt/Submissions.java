package io.skillquest.server.attempt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.queue.AwardTask;
import io.skillquest.core.quiz.InvalidQuizException;
import io.skillquest.core.quiz.Quiz;
import io.skillquest.core.quiz.Quizzes;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Services;
import java.util.List;
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

  /** Reads stored quizzes; they were validated when written, so any plain mapper will do. */
  private static final ObjectMapper STORED = new ObjectMapper();

  private final AttemptDao attempts;
  private final Services services;

  Submissions(AttemptDao attempts, Services services) {
    this.attempts = attempts;
    this.services = services;
  }

  /** A self-scored challenge: the owner's score is taken as given. */
  Attempt submit(long attemptId, long userId, int score, boolean admin) {
    var submitted =
        attempts
            .submit(attemptId, userId, score, "self", admin)
            .orElseThrow(() -> refusal(attemptId, userId, admin, "self"));
    enqueue(submitted);
    return submitted;
  }

  /**
   * A quiz: the server scores the answers against the quiz version the attempt started on, then the
   * attempt goes the same way as a self-scored one (committed {@code submitted}, enqueued).
   */
  Attempt submitAnswers(long attemptId, long userId, Object answers, boolean admin) {
    var state =
        attempts.submitting(attemptId, userId, admin).orElseThrow(() -> notFound(attemptId));
    var refused = refusal(attemptId, state, "quiz");
    if (refused != null) {
      throw refused;
    }
    Quiz quiz = storedQuiz(state);
    int score;
    try {
      score = quiz.score(Quizzes.parseSubmission(answers, quiz));
    } catch (InvalidQuizException e) {
      throw Problem.invalidField(e.path(), e.reason());
    }
    var submitted =
        attempts
            .submit(attemptId, userId, score, "quiz", admin)
            .orElseThrow(() -> refusal(attemptId, userId, admin, "quiz"));
    enqueue(submitted);
    return submitted;
  }

  private Problem refusal(long attemptId, long userId, boolean admin, String expected) {
    var state = attempts.submitting(attemptId, userId, admin);
    if (state.isEmpty()) {
      return notFound(attemptId);
    }
    var refused = refusal(attemptId, state.get(), expected);
    // every condition held on a second look: another request submitted it in between
    return refused != null
        ? refused
        : Problem.conflict("attempt " + attemptId + " has already been submitted");
  }

  /** Why an attempt in this state cannot take a submission of the expected kind; null if it can. */
  private static Problem refusal(long attemptId, Submitting s, String expected) {
    if ("external".equals(s.scoring())) {
      return Problem.forbidden(
          "challenge "
              + s.challengeId()
              + " is scored by an external grader: its attempts cannot be scored by their owner");
    }
    if (!expected.equals(s.scoring())) {
      return "quiz".equals(s.scoring())
          ? Problem.invalidField(
              "score", "challenge " + s.challengeId() + " is a quiz: submit answers, not a score")
          : Problem.invalidField(
              "answers", "challenge " + s.challengeId() + " is not a quiz: submit a score");
    }
    if (!"started".equals(s.status())) {
      return Problem.conflict("attempt " + attemptId + " has already been submitted");
    }
    if (!s.available()) {
      return Problem.notFound("challenge " + s.challengeId() + " is no longer available");
    }
    return null;
  }

  private static Quiz storedQuiz(Submitting s) {
    try {
      return Quizzes.parse(STORED.readValue(s.questions(), List.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable quiz of challenge " + s.challengeId(), e);
    }
  }

  void enqueue(Attempt a) {
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
