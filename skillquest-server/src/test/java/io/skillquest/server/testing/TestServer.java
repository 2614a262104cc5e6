package io.skillquest.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.Keys;
import io.skillquest.server.SkillQuestServer;
import io.skillquest.server.config.Config;
import io.skillquest.server.http.Json;
import io.skillquest.server.http.Services;
import io.skillquest.store.StoreConfig;
import io.skillquest.store.testing.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.UnifiedJedis;

/**
 * The real server on a random free port over a fresh real PostgreSQL database and Redis prefix
 * ({@link TestStores#fresh()}), with a small JSON client. One per test class is the usual pattern,
 * started before the class's tests and stopped after them:
 *
 * <pre>{@code
 * @RegisterExtension static final TestServer server = TestServer.builder().extension();
 *
 * var alice = server.registerAndLogin("alice");
 * var r = server.post("/attempts", Map.of("challenge_id", 1), alice.access());
 * assertThat(r.status()).isEqualTo(201);
 * }</pre>
 *
 * Paths given to {@link #get}, {@link #post}, {@link #patch}, {@link #delete} are under {@code
 * /api/v1}; {@link #call} takes the path verbatim (for /metrics, /docs, ...).
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String ADMIN_USERNAME = "admin";
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  /** Known, so tests can forge tokens (expired, wrong typ, ...). */
  public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";

  public static final String API = "/api/v1";

  private static final ObjectMapper JSON = Json.mapper();

  private final Map<String, String> env;
  private final HttpClient http;
  private SkillQuestServer server;
  private StoreConfig stores;
  private String baseUrl;
  private String adminToken;

  private final boolean production;
  private final String redisUrl;

  private TestServer(Map<String, String> env, boolean production, String redisUrl) {
    this.env = Map.copyOf(env);
    this.production = production;
    this.redisUrl = redisUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private TestServer startNow() {
    stores = TestStores.fresh();
    if (redisUrl != null) {
      stores = stores.withRedisUrl(redisUrl);
    }
    var all = new HashMap<>(env);
    all.putAll(stores.toEnv());
    var config = Config.fromEnv(all);
    if (production) {
      config = config.asProduction();
    }
    server = SkillQuestServer.start(config);
    baseUrl = "http://127.0.0.1:" + server.port();
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server == null) {
      startNow();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The server with the embedded worker running, so attempts get awarded. */
  public static TestServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options; every setter returns the builder. */
  public static final class Builder {
    private final Map<String, String> env = new HashMap<>();
    private boolean production;
    private String redisUrl;

    private Builder() {
      env.put("SKILLQUEST_PORT", "0");
      env.put("SKILLQUEST_JWT_SECRET", JWT_SECRET);
      env.put("SKILLQUEST_ADMIN_USERNAME", ADMIN_USERNAME);
      env.put("SKILLQUEST_ADMIN_PASSWORD", ADMIN_PASSWORD);
      env.put("SKILLQUEST_BCRYPT_COST", "4");
      env.put("SKILLQUEST_RUN_WORKER", "true");
      env.put("SKILLQUEST_DB_POOL_SIZE", "5");
      // every test logs in and starts attempts from 127.0.0.1: tests of these limits set their own
      env.put("SKILLQUEST_LOGIN_IP_LIMIT", "100000/1m");
      env.put("SKILLQUEST_ATTEMPT_START_LIMIT", "100000/1m");
      // no management port unless a test asks for one: test servers run side by side
      env.put("SKILLQUEST_MANAGEMENT_PORT", "0");
      // webhook receivers in tests listen on 127.0.0.1; the SSRF guard's own tests turn this off
      env.put("SKILLQUEST_WEBHOOK_ALLOW_PRIVATE", "true");
      env.put("SKILLQUEST_WEBHOOK_FIRST_RETRY", "200ms");
    }

    /** Runs without the in-process worker: submitted attempts stay {@code submitted}. */
    public Builder withoutWorker() {
      return env("SKILLQUEST_RUN_WORKER", "false");
    }

    /** Any SKILLQUEST_* setting, e.g. {@code env("SKILLQUEST_LOGIN_FAILURE_LIMIT", "3/1m")}. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /**
     * Behaves as with SKILLQUEST_ENV=production once started (the settings production requires of
     * the environment, such as a database password, are not asked for: the test stores have none).
     */
    public Builder production() {
      production = true;
      return this;
    }

    /**
     * Another Redis than the test stores' single server, e.g. {@code
     * RedisClusterFixture.shared().url()} (keys stay under the fresh prefix).
     */
    public Builder redisUrl(String url) {
      redisUrl = url;
      return this;
    }

    /** A running server; the caller closes it. */
    public TestServer start() {
      return new TestServer(env, production, redisUrl).startNow();
    }

    /** A server for {@code @RegisterExtension}: started before the class's tests, stopped after. */
    public TestServer extension() {
      return new TestServer(env, production, redisUrl);
    }
  }

  // ---- HTTP ----

  /**
   * A response: status, headers and the body parsed as JSON (a text node when it is not JSON,
   * missing when empty).
   */
  public record Response(
      int status, Map<String, List<String>> headers, String text, JsonNode body) {
    /** The first value of a header, case-insensitively; null when absent. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    public JsonNode get(String field) {
      return body.path(field);
    }

    @Override
    public String toString() {
      return status + " " + (text.length() > 500 ? text.substring(0, 500) + "..." : text);
    }
  }

  /**
   * Sends {@code method path} verbatim (e.g. "/api/v1/auth/me", "/metrics"). {@code body}: null for
   * none; a String is sent as-is (for malformed JSON); anything else is serialized with the
   * server's mapper (records become snake_case; Map keys are kept as written). {@code token}: null
   * for anonymous.
   */
  public Response call(String method, String path, Object body, String token) {
    var headers = new LinkedHashMap<String, String>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
    if (body != null) {
      headers.put("Content-Type", "application/json");
      publisher = HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body));
    }
    return send(method, path, publisher, headers);
  }

  /**
   * The general form: any body publisher and headers (e.g. chunked bodies, form posts, odd
   * Authorization headers).
   */
  public Response send(
      String method, String path, HttpRequest.BodyPublisher body, Map<String, String> headers) {
    var request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body);
    headers.forEach(request::header);
    try {
      var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(), response.headers().map(), response.body(), parse(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An application/x-www-form-urlencoded POST (the OAuth2 password grant). */
  public Response postForm(String path, Map<String, String> form) {
    var encoded =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        "POST",
        API + path,
        HttpRequest.BodyPublishers.ofString(encoded),
        Map.of("Content-Type", "application/x-www-form-urlencoded"));
  }

  public Response get(String apiPath, String token) {
    return call("GET", API + apiPath, null, token);
  }

  public Response post(String apiPath, Object body, String token) {
    return call("POST", API + apiPath, body, token);
  }

  public Response patch(String apiPath, Object body, String token) {
    return call("PATCH", API + apiPath, body, token);
  }

  public Response delete(String apiPath, String token) {
    return call("DELETE", API + apiPath, null, token);
  }

  // ---- accounts ----

  /** A signed-in user: the token pair from /auth/login and the id from /auth/register. */
  public record Tokens(long userId, String username, String access, String refresh) {}

  /** The password {@link #registerAndLogin} gives {@code username}. */
  public static String passwordOf(String username) {
    // derived from the name but never containing it (the password policy refuses that)
    return "pass-" + Integer.toUnsignedString(username.hashCode(), 36) + "-word";
  }

  /** Registers {@code username} (email {@code username@example.test}) and logs in. */
  public Tokens registerAndLogin(String username) {
    var registered =
        post(
            "/auth/register",
            Map.of(
                "username",
                username,
                "email",
                username + "@example.test",
                "password",
                passwordOf(username)),
            null);
    if (registered.status() != 201) {
      throw new AssertionError("register " + username + ": " + registered);
    }
    return login(username, passwordOf(username), registered.body().path("id").asLong());
  }

  /** Logs in an existing account. */
  public Tokens login(String username, String password) {
    return login(username, password, 0);
  }

  private Tokens login(String username, String password, long knownId) {
    var r = post("/auth/login", Map.of("username", username, "password", password), null);
    if (r.status() != 200) {
      throw new AssertionError("login " + username + ": " + r);
    }
    long id = knownId;
    if (id == 0) {
      id = get("/auth/me", r.get("access_token").asText()).body().path("id").asLong();
    }
    return new Tokens(
        id, username, r.get("access_token").asText(), r.get("refresh_token").asText());
  }

  /** An access token of the configured admin (logged in once, then reused). */
  public synchronized String adminToken() {
    if (adminToken == null) {
      adminToken = login(ADMIN_USERNAME, ADMIN_PASSWORD).access();
    }
    return adminToken;
  }

  // ---- direct access for assertions ----

  public Jdbi jdbi() {
    return server.services().jdbi();
  }

  public UnifiedJedis redis() {
    return server.services().redis();
  }

  public Keys keys() {
    return server.services().keys();
  }

  public StoreConfig stores() {
    return stores;
  }

  public Services services() {
    return server.services();
  }

  public SkillQuestServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Polls {@code condition} every 20 ms until true; fails after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} as a JSON tree, for comparing with {@link Response#body()}. */
  public static JsonNode toJsonTree(Object value) {
    return JSON.valueToTree(value);
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isEmpty()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
