package io.skillquest.server;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.head;
import static io.javalin.apibuilder.ApiBuilder.path;

import ch.qos.logback.classic.LoggerContext;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.skillquest.server.attempt.AttemptRoutes;
import io.skillquest.server.auth.Accounts;
import io.skillquest.server.auth.AdminRoleCheck;
import io.skillquest.server.auth.AuthFilter;
import io.skillquest.server.auth.AuthRoutes;
import io.skillquest.server.auth.Passwords;
import io.skillquest.server.auth.Tokens;
import io.skillquest.server.badge.BadgeRoutes;
import io.skillquest.server.challenge.ChallengeRoutes;
import io.skillquest.server.client.ApiClientRoutes;
import io.skillquest.server.client.ApiClients;
import io.skillquest.server.config.Config;
import io.skillquest.server.config.Secret;
import io.skillquest.server.docs.ApiDocs;
import io.skillquest.server.embedded.EmbeddedStores;
import io.skillquest.server.embedded.StoredSecret;
import io.skillquest.server.event.EventRoutes;
import io.skillquest.server.grader.GraderRoutes;
import io.skillquest.server.health.HealthCheck;
import io.skillquest.server.http.BodyLimit;
import io.skillquest.server.http.Cors;
import io.skillquest.server.http.Json;
import io.skillquest.server.http.MethodOverride;
import io.skillquest.server.http.NoContent;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Problems;
import io.skillquest.server.http.RateLimiter;
import io.skillquest.server.http.RequestLog;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.RouteTable;
import io.skillquest.server.http.SecurityHeaders;
import io.skillquest.server.http.Services;
import io.skillquest.server.leaderboard.Leaderboard;
import io.skillquest.server.leaderboard.LeaderboardDao;
import io.skillquest.server.leaderboard.LeaderboardFeed;
import io.skillquest.server.leaderboard.LeaderboardRoutes;
import io.skillquest.server.leaderboard.PeriodLeaderboard;
import io.skillquest.server.metrics.ManagementServer;
import io.skillquest.server.metrics.Metrics;
import io.skillquest.server.metrics.QueueLength;
import io.skillquest.server.stream.EventHub;
import io.skillquest.server.stream.EventStreamRoutes;
import io.skillquest.server.stream.StreamTickets;
import io.skillquest.server.stream.Streams;
import io.skillquest.server.user.UserRoutes;
import io.skillquest.server.web.WebApp;
import io.skillquest.server.webhook.WebhookRoutes;
import io.skillquest.store.Database;
import io.skillquest.store.RedisClients;
import io.skillquest.store.events.EventStore;
import io.skillquest.store.events.Outbox;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.PeriodBoards;
import io.skillquest.store.listen.PgListener;
import io.skillquest.worker.Worker;
import io.skillquest.worker.WorkerSettings;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point and wiring: plain constructors, no container. {@link #start(Config)} returns a
 * running server (tests use it); {@link #main} adds the shutdown hook and, in embedded mode, the
 * welcome text.
 */
public final class SkillQuestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SkillQuestServer.class);
  public static final long MAX_BODY_BYTES = 1 << 20;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** A registered HTTP route, as Javalin saw it (used by the docs test and the role tests). */
  public record Route(String method, String path, Set<Role> roles) {}

  private final Config config;
  private final Services services;
  private final Javalin app;
  private final List<Route> routes;
  private final boolean embedded;
  private final Optional<Integer> managementPort;
  private final Deque<AutoCloseable> resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SkillQuestServer(
      Config config,
      Services services,
      Javalin app,
      List<Route> routes,
      boolean embedded,
      Optional<Integer> managementPort,
      Deque<AutoCloseable> resources) {
    this.managementPort = managementPort;
    this.config = config;
    this.services = services;
    this.app = app;
    this.routes = routes;
    this.embedded = embedded;
    this.resources = resources;
  }

  public static void main(String[] args) {
    Config config;
    WorkerSettings workerSettings;
    try {
      config = Config.fromEnv(System.getenv());
      workerSettings = WorkerSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("SkillQuest: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Hooked before anything starts: Ctrl-C during start-up must not orphan embedded PostgreSQL or
    // Redis.
    Deque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping SkillQuest");
                  closeAll(resources);
                  log.info("SkillQuest stopped");
                  // last, so no line is lost: writes out the request lines still queued
                  if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs) {
                    logs.stop();
                  }
                },
                "skillquest-shutdown"));
    SkillQuestServer server;
    try {
      server = start(config, workerSettings, resources);
    } catch (RuntimeException e) {
      log.error("SkillQuest could not start: {}", e.getMessage(), e);
      System.err.println("SkillQuest could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (server.embedded()) {
      System.out.println(server.welcome());
    }
  }

  /**
   * Starts everything the configuration asks for; on failure, stops what had started and rethrows.
   */
  public static SkillQuestServer start(Config config) {
    return start(config, WorkerSettings.defaults(), new ConcurrentLinkedDeque<>());
  }

  private static SkillQuestServer start(
      Config config, WorkerSettings workerSettings, Deque<AutoCloseable> resources) {
    try {
      return startInto(config, workerSettings, resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static SkillQuestServer startInto(
      Config config, WorkerSettings workerSettings, Deque<AutoCloseable> resources) {
    boolean embedded = config.embeddedMode();
    if (embedded) {
      if (config.production()) {
        throw new IllegalStateException(
            "SKILLQUEST_ENV=production refuses the embedded mode: "
                + "set SKILLQUEST_DB_URL and SKILLQUEST_REDIS_URL");
      }
      log.warn(
          "EMBEDDED MODE: PostgreSQL, Redis and the worker run inside this process with data in {}. "
              + "Convenient for development and demos; NOT for production.",
          config.embedded().dataDir().toAbsolutePath());
      var stores =
          EmbeddedStores.start(
              config.embedded().dataDir(),
              config.embedded().postgresPort(),
              config.embedded().redisPort(),
              config.stores().redisPrefix());
      resources.push(stores);
      config = config.withStores(stores.stores());
      if (config.auth().jwtSecretGenerated()) {
        // kept beside the data so tokens survive a restart of the dev server
        var hex = StoredSecret.readOrCreate(config.embedded().dataDir().resolve("jwt-secret"), 48);
        config =
            config.withAuth(
                config
                    .auth()
                    .withJwtSecret(new Secret(hex.getBytes(StandardCharsets.UTF_8)), true));
        log.info(
            "SKILLQUEST_JWT_SECRET is not set: using a generated signing key kept in {}",
            config.embedded().dataDir().resolve("jwt-secret").toAbsolutePath());
      }
      if (config.admin().password().isEmpty()) {
        config =
            config.withAdmin(
                config
                    .admin()
                    .withPassword(
                        StoredSecret.readOrCreate(
                            config.embedded().dataDir().resolve("admin-password"), 18)));
      }
    } else if (config.auth().jwtSecretGenerated()) {
      log.warn(
          "SKILLQUEST_JWT_SECRET is not set: generated a random signing key for this process; "
              + "tokens will not survive a restart or work across instances. Set it outside development.");
    }
    var stores = config.stores().external().orElseThrow();
    log.info("starting SkillQuest: {}", config);

    var metrics = Metrics.create();
    resources.push(metrics);
    var registry = metrics.prometheus();
    var management = ManagementServer.start(config.management(), registry);
    management.ifPresent(resources::push);

    HikariDataSource dataSource =
        Database.dataSource(stores, "skillquest-server", config.stores().poolSize());
    resources.push(dataSource);
    dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    Database.migrate(dataSource);
    var jdbi = Database.jdbi(dataSource);

    var redis = RedisClients.pooled(stores);
    resources.push(redis);
    var keys = stores.keys();
    QueueLength.register(registry, redis, keys.queue());

    var clock = Clock.systemUTC();
    var leaderboard = new LeaderboardStore(jdbi, redis, keys);
    resources.push(leaderboard);
    var periodBoards = new PeriodBoards(jdbi, redis, keys, config.periods());
    resources.push(periodBoards);
    var services =
        new Services(config, jdbi, redis, keys, leaderboard, Json.mapper(), registry, clock);
    var tokens = new Tokens(config.auth().jwtSecret(), clock);
    var limiter = new RateLimiter(redis, registry);
    var accounts =
        new Accounts(services, tokens, new Passwords(config.auth().bcryptCost()), limiter);
    accounts.purgeExpiredRefreshTokens();
    var adminUsername = config.admin().username();
    config.admin().password().ifPresent(pw -> accounts.ensureAdmin(adminUsername, pw));

    if (config.runWorker()) {
      // Its own pool: a burst of awards must not starve request handlers of connections.
      var workerPool =
          Database.workerDataSource(stores, "skillquest-worker", workerSettings.dbPoolSize());
      resources.push(workerPool);
      workerPool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
      // the in-process worker judges streaks and cuts period windows exactly as this server does
      var ws = workerSettings;
      var inProcess =
          ws.withStreaksAndPeriods(config.streaks().freezeRule(), config.periods())
              .withEvents(ws.events().withWebhooks(config.webhooks()));
      var worker = new Worker(Database.jdbi(workerPool), stores, registry, inProcess);
      worker.start();
      resources.push(worker);
      log.info("award worker running in this process");
    }

    // live streams: one LISTEN connection wakes one outbox read that fans out to every stream here
    var streams = new Streams(config.http().streams(), redis, keys, clock, registry);
    resources.push(streams);
    var hub = new EventHub(new EventStore(jdbi));
    resources.push(
        new PgListener(stores, Outbox.CHANNEL, config.http().streams().fallbackRead(), hub::wake));
    var eventStreams =
        new EventStreamRoutes(streams, hub, new StreamTickets(redis, keys, services.json(), clock));

    var routes = Collections.synchronizedList(new ArrayList<Route>());
    var clients = new ApiClients(services, limiter);
    var app =
        app(
            services,
            new Platform(
                new AuthRoutes(accounts),
                new AuthFilter(tokens, redis, keys, registry, clients),
                clients,
                limiter,
                new HealthCheck(jdbi, redis),
                new ApiDocs(),
                periodBoards,
                streams,
                eventStreams),
            routes);
    resources.push(app::stop);
    app.start(config.http().port());
    log.info("SkillQuest listening on port {}", app.port());
    return new SkillQuestServer(
        config,
        services,
        app,
        List.copyOf(routes),
        embedded,
        management.map(ManagementServer::port),
        resources);
  }

  /** The platform's own handlers, built in {@link #start} and mounted by {@link #app}. */
  record Platform(
      AuthRoutes auth,
      AuthFilter authFilter,
      ApiClients clients,
      RateLimiter limiter,
      HealthCheck health,
      ApiDocs docs,
      PeriodBoards periodBoards,
      Streams streams,
      EventStreamRoutes eventStreams) {}

  static Javalin app(Services s, Platform p, List<Route> routes) {
    var config = s.config();
    var bodyLimit = new BodyLimit(MAX_BODY_BYTES);
    var table = new RouteTable();
    var app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.http.maxRequestSize = MAX_BODY_BYTES;
              cfg.jsonMapper(new JavalinJackson(s.json(), false));
              if (!config.http().trustedProxies().isEmpty()) {
                cfg.contextResolver.ip =
                    ctx ->
                        config
                            .http()
                            .trustedProxies()
                            .client(
                                ctx.req().getRemoteAddr(),
                                Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
              }
              cfg.requestLogger.http(new RequestLog(s.metrics()));
              // Jetty caches header fields per connection, clearing the cache whenever one does not
              // fit: a proxy's or a load test's keep-alive connection carries a different bearer
              // token on nearly every request, and the cache would be cleared and refilled each
              // time
              cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
              cfg.jetty.modifyServer(
                  server -> {
                    // graceful stop: stop accepting, then let requests in flight finish for up to
                    // STOP_TIMEOUT (GracefulHandler counts them; Javalin nests its servlet
                    // context inside it)
                    server.setHandler(new GracefulHandler());
                    server.setStopTimeout(STOP_TIMEOUT.toMillis());
                  });
              cfg.jetty.modifyServletContextHandler(
                  h ->
                      h.addFilter(
                          new FilterHolder(bodyLimit.filter()),
                          "/*",
                          EnumSet.of(DispatcherType.REQUEST)));
              cfg.events.handlerAdded(
                  meta -> {
                    table.add(meta.getHttpMethod().name(), meta.getPath());
                    if (HTTP_METHODS.contains(meta.getHttpMethod().name())) {
                      routes.add(
                          new Route(
                              meta.getHttpMethod().name(), meta.getPath(), roles(meta.getRoles())));
                    }
                  });
              // one reader, so /leaderboard and /users/me share its username cache and page reuse
              var leaderboard = new Leaderboard(s.leaderboard(), new LeaderboardDao(s.jdbi()));
              var periods =
                  new PeriodLeaderboard(p.periodBoards(), leaderboard, s.jdbi(), s.clock());
              var feed = new LeaderboardFeed(leaderboard, periods, s.json(), s.metrics());
              // open streams would hold a graceful stop for its whole timeout: end them first
              cfg.events.serverStopping(p.streams()::close);
              cfg.events.serverStopped(feed::close);
              cfg.routes.apiBuilder(
                  () -> {
                    path(
                        "/api/v1",
                        () -> {
                          path("auth", p.auth());
                          path("challenges", new ChallengeRoutes(s));
                          path("attempts", new AttemptRoutes(s, p.limiter()));
                          path("badges", new BadgeRoutes(s));
                          path("users/me", new UserRoutes(s, leaderboard, periods));
                          path(
                              "leaderboard",
                              new LeaderboardRoutes(leaderboard, periods, feed, p.streams()));
                          path("events", new EventRoutes(s));
                          path("events", p.eventStreams());
                          path("admin/webhooks", new WebhookRoutes(s));
                          path("admin/clients", new ApiClientRoutes(s, p.clients()));
                          path("grader", new GraderRoutes(s));
                          get("health", p.health(), Role.PUBLIC);
                          head("health", p.health(), Role.PUBLIC);
                        });
                    get("/health", p.health(), Role.PUBLIC);
                    head("/health", p.health(), Role.PUBLIC);
                    if (config.management().metricsOnMainPort()) {
                      get("/metrics", ctx -> Metrics.scrape(ctx, s.metrics()), Role.PUBLIC);
                    }
                    get("/openapi.json", p.docs()::openApi, Role.PUBLIC);
                    get("/docs", p.docs()::ui, Role.PUBLIC);
                    get("/docs/assets/{file}", p.docs()::asset, Role.PUBLIC);
                  });
              var r = cfg.routes;
              r.before(new Cors(config.http().corsOrigins(), table)::handle);
              r.before(bodyLimit::check);
              r.before(MethodOverride::refuse);
              r.after(new SecurityHeaders(config.production())::apply);
              r.before(
                  "/api/v1/auth/*",
                  ctx ->
                      RateLimiter.enforce429(
                          p.limiter()
                              .hit(
                                  s.keys().rateLimit("auth-ip", ctx.ip()),
                                  config.auth().authIpLimit()),
                          "too many requests to /auth from this address"));
              r.beforeMatched(p.authFilter()::check);
              r.beforeMatched(new AdminRoleCheck(s.jdbi())::check);
              r.after(NoContent::strip);
              Problems.register(r, table);
              r.exception(
                  Leaderboard.Busy.class,
                  (e, ctx) -> Problems.write(Problem.unavailable(e.getMessage(), 1), ctx));
              r.exception(
                  NoSuchElementException.class,
                  (e, ctx) -> Problems.write(Problem.notFound(e.getMessage()), ctx));
              WebApp.mount(r);
            });
    return app;
  }

  private static Set<Role> roles(Set<? extends io.javalin.security.RouteRole> roles) {
    var out = EnumSet.noneOf(Role.class);
    for (var r : roles) {
      if (r instanceof Role role) {
        out.add(role);
      }
    }
    return Set.copyOf(out);
  }

  public int port() {
    return app.port();
  }

  public Services services() {
    return services;
  }

  /** The port /metrics is served on apart from the API, when one is. */
  public Optional<Integer> managementPort() {
    return managementPort;
  }

  /**
   * The configuration in effect (in embedded mode: with the embedded stores and generated secrets).
   */
  public Config config() {
    return config;
  }

  /**
   * True when this server started its own PostgreSQL and Redis (and {@link #config()} shows their
   * URLs).
   */
  public boolean embedded() {
    return embedded;
  }

  /** Every HTTP route registered, with its roles. */
  public List<Route> routes() {
    return routes;
  }

  /** What {@link #main} prints in embedded mode: where to go and how to sign in. */
  public String welcome() {
    var url = "http://localhost:" + port();
    return "\n  SkillQuest is running (embedded mode, NOT for production)\n"
        + "    Web app:    "
        + url
        + "/\n"
        + "    API:        "
        + url
        + "/api/v1\n"
        + "    Swagger UI: "
        + url
        + "/docs\n"
        + "    Admin:      "
        + config.admin().username()
        + " / "
        + config.admin().password().orElse("(not set)")
        + "\n"
        + "    Data:       "
        + config.embedded().dataDir().toAbsolutePath()
        + "\n"
        + "  Press Ctrl-C to stop.\n";
  }

  /** Stops the HTTP server, then the worker, then the stores; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      log.info("stopping SkillQuest");
      closeAll(resources);
      log.info("SkillQuest stopped");
    }
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    for (AutoCloseable r; (r = resources.pollFirst()) != null; ) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", r, e.toString());
      }
    }
  }
}
