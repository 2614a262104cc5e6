package io.skillquest.server.grader;

import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.server.attempt.Grades;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Idempotency;
import io.skillquest.server.http.Idempotency.Reply;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * /api/v1/grader: trusted servers (API clients with scope {@code grade}) score attempts of external
 * challenges and record finished results. Both answer 202: the award follows through the queue.
 */
public final class GraderRoutes implements EndpointGroup {
  /** How late a result may be reported and still count for streaks on the day it occurred. */
  static final Duration MAX_AGE = Duration.ofDays(7);

  /** How far ahead of this server's clock a grader's clock may run. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  private final Grades grades;
  private final Idempotency idempotency;
  private final Clock clock;

  public GraderRoutes(Services services) {
    this.grades = new Grades(services);
    this.idempotency = new Idempotency(services);
    this.clock = services.clock();
  }

  @Override
  public void addEndpoints() {
    post("attempts/{id}/score", idempotency.around(this::score), Role.GRADER);
    post("results", idempotency.around(this::result), Role.GRADER);
  }

  Reply score(Context ctx) {
    long id = Params.id(ctx, "id");
    var body = Bodies.json(ctx, ScoreAttempt.class);
    return new Reply(202, grades.score(id, score(body.score())), null);
  }

  Reply result(Context ctx) {
    var body = Bodies.json(ctx, GraderResult.class);
    Object user;
    if (body.userId() != null && body.username() != null) {
      throw Problem.invalidField("user_id", "give either user_id or username, not both");
    } else if (body.userId() != null) {
      if (body.userId() < 1) {
        throw Problem.invalidField("user_id", "must be a positive integer id");
      }
      user = body.userId();
    } else if (body.username() != null && !body.username().isBlank()) {
      user = body.username();
    } else {
      throw Problem.invalidField("user_id", "user_id or username is required");
    }
    if (body.challengeId() == null) {
      throw Problem.invalidField("challenge_id", "is required");
    }
    if (body.challengeId() < 1) {
      throw Problem.invalidField("challenge_id", "must be a positive integer id");
    }
    int score = score(body.score());
    Instant occurredAt = occurredAt(body.occurredAt());
    var recorded = grades.record(user, body.challengeId(), score, occurredAt);
    return new Reply(202, recorded, null);
  }

  private static int score(Long score) {
    if (score == null) {
      throw Problem.invalidField("score", "is required");
    }
    if (score < 0 || score > 100) {
      throw Problem.invalidField("score", "must be an integer between 0 and 100");
    }
    return score.intValue();
  }

  private Instant occurredAt(String text) {
    if (text == null) {
      return null;
    }
    Instant at;
    try {
      at = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.invalidField(
          "occurred_at", "must be an RFC 3339 date-time with an offset, e.g. 2026-11-30T09:00:00Z");
    }
    var now = clock.instant();
    if (at.isAfter(now.plus(CLOCK_SKEW))) {
      throw Problem.invalidField("occurred_at", "must not be in the future");
    }
    if (at.isBefore(now.minus(MAX_AGE))) {
      throw Problem.invalidField("occurred_at", "must be at most 7 days ago");
    }
    return at;
  }
}
