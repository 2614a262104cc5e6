package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthFlowTest {
  @RegisterExtension static final TestServer server = TestServer.builder().extension();

  @BeforeAll
  static void start() {}

  private static Map<String, Object> registration(String username, String email) {
    return Map.of("username", username, "email", email, "password", "correct horse");
  }

  @Test
  void registerReturnsTheUserWithoutItsPassword() {
    var r =
        server.post(
            "/auth/register",
            Map.of(
                "username",
                "Alice",
                "email",
                "alice@example.com",
                "password",
                "correct horse",
                "time_zone",
                "Europe/Paris"),
            null);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.get("username").asText()).isEqualTo("Alice");
    assertThat(r.get("email").asText()).isEqualTo("alice@example.com");
    assertThat(r.get("role").asText()).isEqualTo("user");
    assertThat(r.get("time_zone").asText()).isEqualTo("Europe/Paris");
    assertThat(r.get("id").asLong()).isPositive();
    assertThat(r.get("created_at").isTextual()).isTrue();
    assertThat(r.text()).doesNotContain("password");
  }

  @Test
  void registrationRanksTheNewUserAtZeroXp() {
    var user = server.registerAndLogin("ranked");
    var member =
        server.redis().hget(server.keys().leaderboardMembers(), Long.toString(user.userId()));
    assertThat(io.skillquest.core.leaderboard.RankCodec.decodeMember(member).userId())
        .isEqualTo(user.userId());
    assertThat(server.redis().zscore(server.keys().leaderboard(), member)).isZero();
  }

  @Test
  void loginMeRefreshLogout() {
    var bob = server.registerAndLogin("bob");
    var me = server.get("/auth/me", bob.access());
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.get("username").asText()).isEqualTo("bob");
    assertThat(me.get("id").asLong()).isEqualTo(bob.userId());

    var refreshed = server.post("/auth/refresh", Map.of("refresh_token", bob.refresh()), null);
    assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
    assertThat(refreshed.get("token_type").asText()).isEqualTo("bearer");
    assertThat(refreshed.get("expires_in").asLong()).isEqualTo(1800);
    var access = refreshed.get("access_token").asText();
    var refresh = refreshed.get("refresh_token").asText();
    assertThat(refresh).isNotEqualTo(bob.refresh());
    assertThat(server.get("/auth/me", access).status()).isEqualTo(200);

    assertThat(server.post("/auth/logout", null, access).status()).isEqualTo(204);
    assertThat(server.get("/auth/me", access).status()).isEqualTo(401);
    assertThat(server.post("/auth/refresh", Map.of("refresh_token", refresh), null).status())
        .isEqualTo(401);
    // the first access token belongs to the same login, so logout ended it too
    assertThat(server.get("/auth/me", bob.access()).status()).isEqualTo(401);
    // a new login is unaffected
    var again = server.login("bob", TestServer.passwordOf("bob"));
    assertThat(server.get("/auth/me", again.access()).status()).isEqualTo(200);
  }

  @Test
  void loginAcceptsTheOAuth2PasswordGrantForm() {
    server.registerAndLogin("formuser");
    var r =
        server.postForm(
            "/auth/login",
            Map.of(
                "grant_type",
                "password",
                "username",
                "formuser",
                "password",
                TestServer.passwordOf("formuser"),
                "scope",
                ""));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.get("token_type").asText()).isEqualTo("bearer");
    assertThat(server.get("/auth/me", r.get("access_token").asText()).get("username").asText())
        .isEqualTo("formuser");

    var wrongGrant =
        server.postForm(
            "/auth/login",
            Map.of("grant_type", "client_credentials", "username", "formuser", "password", "x"));
    assertThat(wrongGrant.status()).isEqualTo(400);
    assertThat(wrongGrant.get("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void loginIsCaseInsensitiveOnTheUsername() {
    server.registerAndLogin("CaseUser");
    assertThat(server.login("caseuser", TestServer.passwordOf("CaseUser")).access()).isNotBlank();
  }

  @Test
  void unknownUserAndWrongPasswordGetTheSameAnswer() {
    server.registerAndLogin("carol");
    var wrong =
        server.post(
            "/auth/login", Map.of("username", "carol", "password", "not her password"), null);
    var unknown =
        server.post(
            "/auth/login", Map.of("username", "nobody-here", "password", "whatever1"), null);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.get("detail")).isEqualTo(unknown.get("detail"));
    assertThat(wrong.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void duplicateUsernameOrEmailIsAConflictWhateverTheCaseAndTheAnswerNamesNeither() {
    assertThat(
            server.post("/auth/register", registration("Dave", "dave@example.com"), null).status())
        .isEqualTo(201);
    var sameName = server.post("/auth/register", registration("dAVE", "other@example.com"), null);
    var sameEmail = server.post("/auth/register", registration("dave2", "DAVE@Example.COM"), null);
    var exactEmail = server.post("/auth/register", registration("dave3", "dave@example.com"), null);
    for (var r : List.of(sameName, sameEmail, exactEmail)) {
      assertThat(r.status()).as(r.toString()).isEqualTo(409);
      assertThat(r.get("detail").asText()).isEqualTo("that username or email cannot be used");
    }
    // byte for byte the same answer, so a client cannot tell which of the two is registered
    assertThat(sameEmail.body()).isEqualTo(sameName.body());
    assertThat(sameEmail.text()).doesNotContain("dave@example.com").doesNotContain("already");
  }

  @Test
  void invalidFieldsAreNamed() {
    var r =
        server.post(
            "/auth/register",
            Map.of(
                "username",
                "a b",
                "email",
                "not-an-email",
                "password",
                "short",
                "time_zone",
                "Mars/Olympus"),
            null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.get("errors").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("username", "email", "password", "time_zone");

    var missing = server.post("/auth/register", Map.of(), null);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.get("errors").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("username", "email", "password");

    var tooLong =
        server.post("/auth/register", registration("x".repeat(33), "x@example.com"), null);
    assertThat(tooLong.get("errors").has("username")).isTrue();
    var longPassword =
        server.post(
            "/auth/register",
            Map.of("username", "longpw", "email", "lp@example.com", "password", "p".repeat(129)),
            null);
    assertThat(longPassword.get("errors").has("password")).isTrue();
  }

  @Test
  void passwordsBeyondBcrypts72BytesStillCount() {
    var base = "p".repeat(100);
    var r =
        server.post(
            "/auth/register",
            Map.of("username", "longpass", "email", "longpass@example.com", "password", base + "A"),
            null);
    assertThat(r.status()).isEqualTo(201);
    assertThat(
            server
                .post("/auth/login", Map.of("username", "longpass", "password", base + "B"), null)
                .status())
        .isEqualTo(401);
    assertThat(
            server
                .post("/auth/login", Map.of("username", "longpass", "password", base + "A"), null)
                .status())
        .isEqualTo(200);
  }

  @Test
  void unknownFieldsWrongTypesAndMalformedJsonAre400() {
    var unknown =
        server.post(
            "/auth/register",
            Map.of(
                "username",
                "eve",
                "email",
                "eve@example.com",
                "password",
                "correct horse",
                "role",
                "admin"),
            null);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.get("errors").has("role")).isTrue();

    var wrongType =
        server.post(
            "/auth/register",
            Map.of("username", 12345, "email", "eve@example.com", "password", "correct horse"),
            null);
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.get("errors").has("username")).isTrue();

    for (var body :
        new String[] {
          "{\"username\": ", "not json", "[1,2]", "null", "", "{\"username\":\"a\"} trailing"
        }) {
      var r = server.call("POST", "/api/v1/auth/register", body, null);
      assertThat(r.status()).as("body %s -> %s", body, r).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }
    int eves =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM users WHERE username = 'eve'")
                        .mapTo(Integer.class)
                        .one());
    assertThat(eves).isZero();
  }

  @Test
  void sqlMetacharactersAreStoredAsData() {
    var email = "o'hara\";--@example.com";
    var r =
        server.post(
            "/auth/register",
            Map.of("username", "o.hara_--", "email", email, "password", "'; DROP TABLE users; --"),
            null);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.get("email").asText()).isEqualTo(email);
    assertThat(server.login("o.hara_--", "'; DROP TABLE users; --").access()).isNotBlank();
    var injected =
        server.post(
            "/auth/login",
            Map.of("username", "admin' OR '1'='1", "password", "x' OR '1'='1"),
            null);
    assertThat(injected.status()).isEqualTo(401);
    String stored =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT email FROM users WHERE username = 'o.hara_--'")
                        .mapTo(String.class)
                        .one());
    assertThat(stored).isEqualTo(email);
  }

  @Test
  void refreshTokenReuseRevokesFamily() {
    var frank = server.registerAndLogin("frank");
    var first = server.post("/auth/refresh", Map.of("refresh_token", frank.refresh()), null);
    assertThat(first.status()).isEqualTo(200);
    var successor = first.get("refresh_token").asText();
    var newAccess = first.get("access_token").asText();

    // the spent token comes back (a thief's copy, say): the whole login ends
    var reuse = server.post("/auth/refresh", Map.of("refresh_token", frank.refresh()), null);
    assertThat(reuse.status()).isEqualTo(401);
    assertThat(server.post("/auth/refresh", Map.of("refresh_token", successor), null).status())
        .isEqualTo(401);
    assertThat(server.get("/auth/me", newAccess).status()).isEqualTo(401);
    assertThat(server.get("/auth/me", frank.access()).status()).isEqualTo(401);
    int live =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM refresh_tokens WHERE user_id = :u AND revoked_at IS NULL")
                        .bind("u", frank.userId())
                        .mapTo(Integer.class)
                        .one());
    assertThat(live).isZero();
  }

  @Test
  void refreshRequiresARefreshToken() {
    var grace = server.registerAndLogin("grace");
    assertThat(server.post("/auth/refresh", Map.of("refresh_token", grace.access()), null).status())
        .isEqualTo(401);
    assertThat(server.post("/auth/refresh", Map.of(), null).status()).isEqualTo(400);
    assertThat(server.post("/auth/refresh", Map.of("refresh_token", "garbage"), null).status())
        .isEqualTo(401);
  }

  @Test
  void theConfiguredAdminExists() {
    var me = server.get("/auth/me", server.adminToken());
    assertThat(me.get("role").asText()).isEqualTo("admin");
    assertThat(me.get("username").asText()).isEqualTo(TestServer.ADMIN_USERNAME);
  }
}
