package io.skillquest.server.attempt;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.core.Keys;
import io.skillquest.server.config.Limit;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Idempotency;
import io.skillquest.server.http.Idempotency.Reply;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.RateLimiter;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;
import java.util.Map;
import java.util.Set;

/** /api/v1/attempts: a user's attempts; only the owner ever sees or submits one. */
public final class AttemptRoutes implements EndpointGroup {
  private static final Set<String> STATUSES = Set.of("started", "submitted", "passed", "failed");

  private final AttemptDao attempts;
  private final Submissions submissions;
  private final Idempotency idempotency;
  private final RateLimiter limiter;
  private final Keys keys;
  private final Limit startLimit;

  public AttemptRoutes(Services services, RateLimiter limiter) {
    this.attempts = new AttemptDao(services.jdbi());
    this.submissions = new Submissions(attempts, services);
    this.idempotency = new Idempotency(services);
    this.limiter = limiter;
    this.keys = services.keys();
    this.startLimit = services.config().auth().attemptStartLimit();
  }

  @Override
  public void addEndpoints() {
    get(this::list, Role.USER);
    post(idempotency.around(this::start), Role.USER);
    path(
        "{id}",
        () -> {
          get(this::show, Role.USER);
          post("submit", idempotency.around(this::submit), Role.USER);
        });
  }

  Reply start(Context ctx) {
    var me = Auth.principal(ctx);
    // each started attempt is a row and a submission slot: bound how fast one user can make them
    RateLimiter.enforce429(
        limiter.hit(keys.rateLimit("attempt-starts", Long.toString(me.userId())), startLimit),
        "too many attempts started");
    var body = Bodies.json(ctx, StartAttempt.class);
    if (body.challengeId() == null) {
      throw Problem.invalidField("challenge_id", "is required");
    }
    var attempt =
        attempts
            .start(me.userId(), body.challengeId(), me.admin())
            .orElseThrow(() -> Problem.notFound("no such challenge: " + body.challengeId()));
    return new Reply(201, attempt, "/api/v1/attempts/" + attempt.id());
  }

  Reply submit(Context ctx) {
    long id = Params.id(ctx, "id");
    var body = Bodies.json(ctx, SubmitAttempt.class);
    var me = Auth.principal(ctx);
    // generated clients send {} for an unset map: beside a score it means no answers
    boolean noAnswers =
        body.answers() == null
            || (body.score() != null && body.answers() instanceof Map<?, ?> m && m.isEmpty());
    if (!noAnswers) {
      if (body.score() != null) {
        throw Problem.invalidField("score", "send either a score or answers, not both");
      }
      return new Reply(
          202, submissions.submitAnswers(id, me.userId(), body.answers(), me.admin()), null);
    }
    if (body.score() == null) {
      throw Problem.invalidField("score", "is required (a quiz takes answers instead)");
    }
    if (body.score() < 0 || body.score() > 100) {
      throw Problem.invalidField("score", "must be an integer between 0 and 100");
    }
    return new Reply(
        202, submissions.submit(id, me.userId(), body.score().intValue(), me.admin()), null);
  }

  void list(Context ctx) {
    var status = Params.query(ctx, "status");
    if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
      throw Problem.invalidField("status", "must be one of started, submitted, passed, failed");
    }
    int limit = Params.queryInt(ctx, "limit", 20, 1, 100);
    int offset = Params.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    ctx.json(
        attempts.page(
            Auth.principal(ctx).userId(),
            status == null || status.isEmpty() ? null : status,
            limit,
            offset));
  }

  void show(Context ctx) {
    long id = Params.id(ctx, "id");
    ctx.json(
        attempts
            .find(id, Auth.principal(ctx).userId())
            .orElseThrow(() -> Submissions.notFound(id)));
  }
}
