package io.skillquest.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.skillquest.client.ApiClient;
import io.skillquest.client.ApiException;
import io.skillquest.client.api.AdminApi;
import io.skillquest.client.api.AttemptsApi;
import io.skillquest.client.api.AuthApi;
import io.skillquest.client.api.BadgesApi;
import io.skillquest.client.api.ChallengesApi;
import io.skillquest.client.api.GraderApi;
import io.skillquest.client.api.LeaderboardApi;
import io.skillquest.client.api.MeApi;
import io.skillquest.client.api.OperationsApi;
import io.skillquest.client.model.AllOfCondition;
import io.skillquest.client.model.ApiClientCreate;
import io.skillquest.client.model.ApiClientInfo;
import io.skillquest.client.model.Attempt;
import io.skillquest.client.model.BadgeCreate;
import io.skillquest.client.model.BadgePatch;
import io.skillquest.client.model.Challenge;
import io.skillquest.client.model.ChallengeCreate;
import io.skillquest.client.model.ChallengePatch;
import io.skillquest.client.model.Condition;
import io.skillquest.client.model.ConsecutiveDaysCondition;
import io.skillquest.client.model.GraderResult;
import io.skillquest.client.model.GraderScore;
import io.skillquest.client.model.LoginRequest;
import io.skillquest.client.model.Problem;
import io.skillquest.client.model.RefreshRequest;
import io.skillquest.client.model.RegisterRequest;
import io.skillquest.client.model.StartAttempt;
import io.skillquest.client.model.SubmitAttempt;
import io.skillquest.client.model.TokenPair;
import io.skillquest.client.model.XpCondition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The README's walk through the API, made with the generated client only. Like most client
 * libraries, it attaches the current bearer to every call, login and refresh included.
 */
final class Journey {
  private final ApiClient client = new ApiClient();
  private final String tag;
  private final boolean anonymousCallsBreakTheContract;
  private final AtomicInteger responses = new AtomicInteger();
  private final List<String> violations = new ArrayList<>();
  private volatile String bearer;

  // each API copies the client's base URI and interceptors when built, so they come last
  private final AuthApi auth;
  private final ChallengesApi challenges;
  private final BadgesApi badges;
  private final AttemptsApi attempts;
  private final MeApi me;
  private final LeaderboardApi leaderboard;
  private final OperationsApi operations;
  private final AdminApi admin;
  private final GraderApi grader;

  /**
   * {@code tag} keeps the names of two journeys on one server apart; through the validating proxy,
   * {@code anonymousCallsBreakTheContract}: a call without credentials to a protected operation
   * disagrees with the document, so the proxy answers it and the journey leaves it out.
   */
  Journey(String baseUri, String tag, boolean anonymousCallsBreakTheContract) {
    this.tag = tag;
    this.anonymousCallsBreakTheContract = anonymousCallsBreakTheContract;
    client.updateBaseUri(baseUri);
    client.setReadTimeout(Duration.ofSeconds(30));
    client.setRequestInterceptor(
        request -> {
          if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
          }
        });
    client.setResponseInterceptor(
        response -> {
          responses.incrementAndGet();
          response
              .headers()
              .allValues("sl-violations")
              .forEach(
                  v ->
                      violations.add(
                          response.request().method() + " " + response.uri() + ": " + v));
        });
    auth = new AuthApi(client);
    challenges = new ChallengesApi(client);
    badges = new BadgesApi(client);
    attempts = new AttemptsApi(client);
    me = new MeApi(client);
    leaderboard = new LeaderboardApi(client);
    operations = new OperationsApi(client);
    admin = new AdminApi(client);
    grader = new GraderApi(client);
  }

  int responses() {
    return responses.get();
  }

  List<String> violations() {
    return violations;
  }

  void walk() throws Exception {
    assertThat(operations.getHealth().getStatus().getValue()).isEqualTo("ok");

    // an admin publishes a challenge and a badge
    bearer = login("admin", ContractIT.ADMIN_PASSWORD).getAccessToken();
    var created =
        challenges.createChallenge(
            new ChallengeCreate()
                .title("Java basics " + tag)
                .description("Variables, loops and methods")
                .xp(100)
                .difficulty(ChallengeCreate.DifficultyEnum.EASY)
                .tags(List.of("java", tag))
                .passScore(70)
                .published(true));
    assertThat(created.getPublished()).isTrue();

    // a generated PATCH of one field changes that field only
    var patched =
        challenges.updateChallenge(created.getId(), new ChallengePatch().title("Java " + tag));
    assertThat(patched.getTitle()).isEqualTo("Java " + tag);
    assertUnchangedButTitle(created, patched);
    assertUnchangedButTitle(created, challenges.getChallenge(created.getId()));

    var centurion =
        badges.createBadge(
            new BadgeCreate()
                .name("Centurion " + tag)
                .description("Reach 100 XP")
                .condition(
                    new Condition(
                        new XpCondition().type(XpCondition.TypeEnum.XP).threshold(100L))));
    var steady =
        badges.createBadge(
            new BadgeCreate()
                .name("Steady " + tag)
                .condition(
                    new Condition(
                        new AllOfCondition()
                            .type(AllOfCondition.TypeEnum.ALL_OF)
                            .conditions(
                                List.of(
                                    new Condition(
                                        new XpCondition()
                                            .type(XpCondition.TypeEnum.XP)
                                            .threshold(1000L)),
                                    new Condition(
                                        new ConsecutiveDaysCondition()
                                            .type(
                                                ConsecutiveDaysCondition.TypeEnum.CONSECUTIVE_DAYS)
                                            .days(7)))))));
    var renamed = badges.updateBadge(steady.getId(), new BadgePatch().name("Steady " + tag + "!"));
    assertThat(renamed.getCondition().getActualInstance())
        .isEqualTo(steady.getCondition().getActualInstance());
    assertThat(renamed.getDescription()).isEqualTo(steady.getDescription());
    assertThat(badges.listBadges()).extracting(b -> b.getId()).contains(centurion.getId());
    assertThat(badges.getBadge(centurion.getId()).getCondition().getXpCondition().getThreshold())
        .isEqualTo(100L);

    var doomed =
        challenges.createChallenge(
            new ChallengeCreate()
                .title("Doomed " + tag)
                .xp(1)
                .difficulty(ChallengeCreate.DifficultyEnum.HARD));
    challenges.deleteChallenge(doomed.getId());
    expectProblem(404, () -> challenges.getChallenge(doomed.getId()));

    // a player registers (with a stale bearer still attached), logs in, attempts and submits
    var name = "alice_" + tag;
    var user =
        auth.registerUser(
            new RegisterRequest()
                .username(name)
                .email(name + "@example.test")
                .password("correct horse " + tag));
    assertThat(user.getUsername()).isEqualTo(name);
    var conflict =
        expectProblem(
            409,
            () ->
                auth.registerUser(
                    new RegisterRequest()
                        .username(name)
                        .email("other-" + name + "@example.test")
                        .password("correct horse " + tag)));
    assertThat(conflict.getTitle()).isEqualTo("Conflict");
    var invalid =
        expectProblem(
            400,
            () ->
                auth.registerUser(
                    new RegisterRequest()
                        .username("zoned_" + tag)
                        .email("zoned_" + tag + "@example.test")
                        .password("correct horse " + tag)
                        .timeZone("Mars/Olympus_Mons")));
    assertThat(invalid.getTitle()).isEqualTo("Bad Request");
    assertThat(invalid.getErrors()).containsKey("time_zone");

    var pair = login(name, "correct horse " + tag);
    assertThat(pair.getTokenType()).isEqualTo(TokenPair.TokenTypeEnum.BEARER);
    bearer = pair.getAccessToken();
    assertThat(auth.getCurrentUser().getUsername()).isEqualTo(name);

    var page =
        challenges.listChallenges(ChallengeCreate.DifficultyEnum.EASY.getValue(), tag, 10, 0);
    assertThat(page.getItems()).extracting(Challenge::getId).containsExactly(created.getId());
    expectProblem(404, () -> challenges.getChallenge(999_999_999L));

    String startKey = "start-" + name;
    var attempt = attempts.startAttempt(new StartAttempt().challengeId(created.getId()), startKey);
    assertThat(attempt.getStatus()).isEqualTo(Attempt.StatusEnum.STARTED);
    assertThat(attempt.getScore()).isNull();
    // a retry with the same Idempotency-Key gets the same attempt back, not a second one
    assertThat(
            attempts
                .startAttempt(new StartAttempt().challengeId(created.getId()), startKey)
                .getId())
        .isEqualTo(attempt.getId());
    var submitted = attempts.submitAttempt(attempt.getId(), new SubmitAttempt().score(85), null);
    assertThat(submitted.getStatus()).isEqualTo(Attempt.StatusEnum.SUBMITTED);
    expectProblem(
        409, () -> attempts.submitAttempt(attempt.getId(), new SubmitAttempt().score(90), null));

    // the worker awards moments later
    var passed = awaitProcessed(attempt.getId());
    assertThat(passed.getStatus()).isEqualTo(Attempt.StatusEnum.PASSED);
    assertThat(passed.getXpAwarded()).isPositive();
    assertThat(attempts.listAttempts("passed", 10, 0).getItems())
        .extracting(Attempt::getId)
        .contains(attempt.getId());

    var progress = me.getMyProgress();
    assertThat(progress.getTotalXp()).isEqualTo((long) passed.getXpAwarded());
    assertThat(progress.getAttempts().getPassed()).isEqualTo(1L);
    assertThat(progress.getBadges()).isNotNull();
    assertThat(me.listMyBadges()).isNotNull();

    var top = leaderboard.getLeaderboard(10, 0, null, null, null);
    assertThat(top).anySatisfy(e -> assertThat(e.getUsername()).isEqualTo(name));
    var standing = leaderboard.getMyStanding(2, null, null, null);
    assertThat(standing.getUsername()).isEqualTo(name);
    assertThat(standing.getTotalXp()).isEqualTo(progress.getTotalXp());

    // an external challenge is scored by a grader: an API client with its own secret
    String playerToken = bearer;
    bearer = login("admin", ContractIT.ADMIN_PASSWORD).getAccessToken();
    var exam =
        challenges.createChallenge(
            new ChallengeCreate()
                .title("Exam " + tag)
                .xp(200)
                .difficulty(ChallengeCreate.DifficultyEnum.HARD)
                .published(true)
                .scoring(ChallengeCreate.ScoringEnum.EXTERNAL));
    var grader =
        admin.createApiClient(
            new ApiClientCreate()
                .name("grader " + tag)
                .scopes(List.of(ApiClientCreate.ScopesEnum.GRADE)));
    assertThat(grader.getSecret()).startsWith("sq_");
    assertThat(admin.listApiClients()).extracting(ApiClientInfo::getId).contains(grader.getId());
    bearer = playerToken;
    var examAttempt = attempts.startAttempt(new StartAttempt().challengeId(exam.getId()), null);
    expectProblem(
        403,
        () -> attempts.submitAttempt(examAttempt.getId(), new SubmitAttempt().score(100), null));
    bearer = grader.getSecret();
    var scored =
        this.grader.scoreAttempt(examAttempt.getId(), new GraderScore().score(90), "exam-" + tag);
    assertThat(scored.getStatus()).isEqualTo(Attempt.StatusEnum.SUBMITTED);
    var recorded =
        this.grader.recordResult(
            new GraderResult()
                .username(name)
                .challengeId(exam.getId())
                .score(95)
                .occurredAt(java.time.OffsetDateTime.now().minusDays(1)),
            "result-" + tag);
    assertThat(recorded.getUserId()).isEqualTo(user.getId());
    // a client secret is refused on the routes of people
    expectProblem(401, () -> me.getMyProgress());
    bearer = login("admin", ContractIT.ADMIN_PASSWORD).getAccessToken();
    admin.revokeApiClient(grader.getId());
    assertThat(admin.getApiClient(grader.getId()).getRevoked()).isTrue();
    bearer = grader.getSecret();
    expectProblem(
        401,
        () ->
            this.grader.recordResult(
                new GraderResult().userId(user.getId()).challengeId(exam.getId()).score(1), null));
    bearer = playerToken;
    var graded = awaitProcessed(examAttempt.getId());
    assertThat(graded.getStatus()).isEqualTo(Attempt.StatusEnum.PASSED);
    assertThat(graded.getScore()).isEqualTo(90);

    // refreshing works with a stale access token attached, the way client libraries call it
    bearer = "stale.access.token";
    var rotated = auth.refreshTokens(new RefreshRequest().refreshToken(pair.getRefreshToken()));
    var unauthorized = expectProblem(401, () -> me.getMyProgress());
    assertThat(unauthorized.getStatus()).isEqualTo(401);

    bearer = rotated.getAccessToken();
    auth.logOut();
    expectProblem(401, () -> auth.getCurrentUser());
    if (!anonymousCallsBreakTheContract) {
      bearer = null;
      expectProblem(401, () -> auth.getCurrentUser());
    }
  }

  private TokenPair login(String username, String password) throws ApiException {
    return auth.logIn(new LoginRequest().username(username).password(password));
  }

  private static void assertUnchangedButTitle(Challenge before, Challenge after) {
    assertThat(after)
        .usingRecursiveComparison()
        .ignoringFields("title", "updatedAt")
        .isEqualTo(before);
  }

  private Attempt awaitProcessed(long id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      var a = attempts.getAttempt(id);
      if (a.getStatus() != Attempt.StatusEnum.SUBMITTED) {
        return a;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("attempt " + id + " still submitted after 60 s");
      }
      Thread.sleep(100);
    }
  }

  interface Call {
    void run() throws ApiException;
  }

  /** The call fails with {@code status} and a problem body that the generated model reads. */
  private Problem expectProblem(int status, Call call) throws IOException {
    var e =
        catchThrowableOfType(
            ApiException.class,
            () -> {
              call.run();
            });
    assertThat(e).as("expected HTTP " + status).isNotNull();
    assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status);
    assertThat(e.getResponseHeaders().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    var problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    assertThat(problem.getStatus()).isEqualTo(status);
    assertThat(problem.getDetail()).isNotBlank();
    return problem;
  }
}
