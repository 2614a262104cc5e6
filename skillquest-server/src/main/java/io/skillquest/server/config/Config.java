package io.skillquest.server.config;

import io.skillquest.store.Env;
import io.skillquest.store.StoreConfig;
import io.skillquest.store.events.WebhookSettings;
import io.skillquest.store.leaderboard.PeriodSettings;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration, one record per concern, each read and validated in one place from the
 * environment. {@link #fromEnv(Map)} takes a map so tests pass their own; every problem found is
 * reported at once, naming the variable and never its value.
 *
 * @param production SKILLQUEST_ENV=production: every missing setting is an error, weak secrets and
 *     the embedded mode are refused
 * @param runWorker SKILLQUEST_RUN_WORKER: also run an award worker in this process (on by default
 *     in the embedded mode, which is one command for a whole system)
 * @param streaks the streak freeze rule (SKILLQUEST_STREAK_FREEZE_EVERY,
 *     SKILLQUEST_STREAK_FREEZE_MAX)
 * @param periods the day, week and month boards' zone, retention and grace
 *     (SKILLQUEST_LEADERBOARD_ZONE, SKILLQUEST_LEADERBOARD_RETENTION, SKILLQUEST_LEADERBOARD_GRACE)
 * @param webhooks the webhook URL guard and delivery settings (SKILLQUEST_WEBHOOK_*); the
 *     in-process worker delivers with them
 */
public record Config(
    boolean production,
    HttpSettings http,
    AuthSettings auth,
    AdminAccount admin,
    StoreSettings stores,
    EmbeddedSettings embedded,
    ManagementSettings management,
    boolean runWorker,
    StreakSettings streaks,
    PeriodSettings periods,
    WebhookSettings webhooks) {

  /** A configuration with the default streak rule and period boards. */
  public Config(
      boolean production,
      HttpSettings http,
      AuthSettings auth,
      AdminAccount admin,
      StoreSettings stores,
      EmbeddedSettings embedded,
      ManagementSettings management,
      boolean runWorker) {
    this(
        production,
        http,
        auth,
        admin,
        stores,
        embedded,
        management,
        runWorker,
        StreakSettings.DEFAULT,
        PeriodSettings.DEFAULT,
        WebhookSettings.DEFAULT);
  }

  /** Settings with no safe default: production refuses to start without them. */
  static final List<String> REQUIRED_IN_PRODUCTION =
      List.of(
          "SKILLQUEST_DB_URL",
          "SKILLQUEST_DB_USER",
          "SKILLQUEST_DB_PASSWORD",
          "SKILLQUEST_REDIS_URL",
          "SKILLQUEST_JWT_SECRET",
          "SKILLQUEST_CORS_ORIGINS");

  public static Config fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * @throws IllegalArgumentException listing every missing or malformed variable
   */
  public static Config fromEnv(Map<String, String> vars) {
    var env = new Env(vars);
    boolean production = "production".equalsIgnoreCase(env.string("SKILLQUEST_ENV", "development"));
    if (production) {
      for (var name : REQUIRED_IN_PRODUCTION) {
        // CORS may be set to an empty value (no browser origins); absent means nobody decided
        boolean present =
            name.equals("SKILLQUEST_CORS_ORIGINS") ? env.isSet(name) : env.value(name).isPresent();
        if (!present) {
          env.error(name + " is required when SKILLQUEST_ENV=production");
        }
      }
    }
    var stores = StoreSettings.read(env, production);
    var config =
        new Config(
            production,
            HttpSettings.read(env),
            AuthSettings.read(env, production),
            AdminAccount.read(env, production),
            stores,
            EmbeddedSettings.read(env),
            ManagementSettings.read(env),
            env.bool("SKILLQUEST_RUN_WORKER", stores.external().isEmpty()),
            StreakSettings.read(env),
            PeriodSettings.read(env),
            // the embedded dev mode runs on a developer's machine, next to their receiver
            WebhookSettings.read(env, stores.external().isEmpty()));
    env.validate();
    return config;
  }

  /** True when the server starts its own PostgreSQL and Redis. */
  public boolean embeddedMode() {
    return stores.external().isEmpty();
  }

  /** Same settings, with the stores the embedded mode started. */
  public Config withStores(StoreConfig external) {
    return new Config(
        production,
        http,
        auth,
        admin,
        stores.withExternal(external),
        embedded,
        management,
        runWorker,
        streaks,
        periods,
        webhooks);
  }

  /** Same settings, behaving as in production (tests of production-only behaviour use this). */
  public Config asProduction() {
    return new Config(
        true,
        http,
        auth,
        admin,
        stores,
        embedded,
        management,
        runWorker,
        streaks,
        periods,
        webhooks);
  }

  public Config withAuth(AuthSettings auth) {
    return new Config(
        production,
        http,
        auth,
        admin,
        stores,
        embedded,
        management,
        runWorker,
        streaks,
        periods,
        webhooks);
  }

  public Config withAdmin(AdminAccount admin) {
    return new Config(
        production,
        http,
        auth,
        admin,
        stores,
        embedded,
        management,
        runWorker,
        streaks,
        periods,
        webhooks);
  }

  /** Never prints passwords or the JWT secret. */
  @Override
  public String toString() {
    return "Config[production="
        + production
        + ", port="
        + http.port()
        + ", stores="
        + stores.external().map(Object::toString).orElse("embedded")
        + ", corsOrigins="
        + http.corsOrigins()
        + ", adminUsername="
        + admin.username()
        + ", loginFailureLimit="
        + auth.loginFailureLimit()
        + ", authIpLimit="
        + auth.authIpLimit()
        + ", loginIpLimit="
        + auth.loginIpLimit()
        + ", attemptStartLimit="
        + auth.attemptStartLimit()
        + ", clientRateLimit="
        + auth.clientRateLimit()
        + ", dataDir="
        + embedded.dataDir()
        + ", bcryptCost="
        + auth.bcryptCost()
        + ", management="
        + management.bind()
        + ":"
        + management.port()
        + ", runWorker="
        + runWorker
        + ", streakFreezes="
        + streaks.freezeRule()
        + "]";
  }
}
