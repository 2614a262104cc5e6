package io.skillquest.server.auth;

import io.skillquest.core.Keys;
import io.skillquest.core.leaderboard.Standing;
import io.skillquest.server.http.Principal;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.RateLimiter;
import io.skillquest.server.http.RedisFailOpen;
import io.skillquest.server.http.Services;
import io.skillquest.store.DuplicateKeyException;
import io.skillquest.store.leaderboard.LeaderboardStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/** Registration, login, refresh-token rotation and logout: the rules behind /auth. */
public final class Accounts {
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);
  static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_.-]{3,32}$");
  // deliberately loose: one @, no spaces, a dot in the domain; the real check is the confirmation
  // mail
  static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$");
  static final String BAD_CREDENTIALS = "invalid username or password";

  private final Jdbi jdbi;
  private final UserDao users;
  private final UnifiedJedis redis;
  private final Keys keys;
  private final LeaderboardStore leaderboard;
  private final Tokens tokens;
  private final Passwords passwords;
  private final LoginGuard loginGuard;
  private final PasswordPolicy passwordPolicy = PasswordPolicy.load();
  private final boolean production;
  private final RedisFailOpen leaderboardFailOpen;
  private final Clock clock;

  public Accounts(Services s, Tokens tokens, Passwords passwords, RateLimiter limiter) {
    this.jdbi = s.jdbi();
    this.users = new UserDao(s.jdbi());
    this.redis = s.redis();
    this.keys = s.keys();
    this.leaderboard = s.leaderboard();
    this.tokens = tokens;
    this.passwords = passwords;
    this.loginGuard = new LoginGuard(limiter, s.keys(), s.config().auth());
    this.production = s.config().production();
    this.leaderboardFailOpen = new RedisFailOpen("leaderboard_register", s.metrics());
    this.clock = s.clock();
  }

  /** The token pair a login or refresh hands out. */
  public record Pair(Tokens.Signed access, Tokens.Signed refresh) {}

  User register(AuthMessages.RegisterRequest r) {
    var errors = new LinkedHashMap<String, String>();
    if (r.username() == null) {
      errors.put("username", "is required");
    } else if (!USERNAME.matcher(r.username()).matches()) {
      errors.put("username", "must be 3 to 32 characters: letters, digits, '_', '.', '-'");
    }
    if (r.email() == null) {
      errors.put("email", "is required");
    } else if (r.email().length() > 254 || !EMAIL.matcher(r.email()).matches()) {
      errors.put("email", "must be an email address");
    }
    if (r.password() == null) {
      errors.put("password", "is required");
    } else {
      passwordPolicy.problem(r.password(), r.username()).ifPresent(p -> errors.put("password", p));
    }
    var zone = r.timeZone() == null ? "UTC" : r.timeZone();
    // SystemV/* ids are Java-only: PostgreSQL's AT TIME ZONE would reject them when counting streak
    // days
    if (!ZoneId.getAvailableZoneIds().contains(zone) || zone.startsWith("SystemV/")) {
      errors.put("time_zone", "must be an IANA time zone id such as Europe/Paris");
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    var user = insert(r.username(), r.email(), passwords.hash(r.password()), User.ROLE_USER, zone);
    rank(user);
    return user;
  }

  /**
   * Creates the configured first admin unless an account with that name exists. When a non-admin
   * holds the name (someone registered it first), the configured admin does not exist: that is
   * logged loudly, and refused in production, where an operator would otherwise believe the admin
   * is in place.
   *
   * @throws IllegalStateException in production, when a non-admin holds the admin name
   */
  public void ensureAdmin(String username, String password) {
    var existing = users.findByUsername(username);
    if (existing.isPresent()) {
      if (!User.ROLE_ADMIN.equals(existing.get().role())) {
        var message =
            "SKILLQUEST_ADMIN_USERNAME '"
                + username
                + "' is held by a non-admin account (user_id="
                + existing.get().id()
                + "): no administrator was created. Choose another SKILLQUEST_ADMIN_USERNAME or"
                + " promote that account in the database";
        if (production) {
          throw new IllegalStateException(message);
        }
        log.warn(message);
      }
      return;
    }
    try {
      var admin =
          insert(
              username,
              username.toLowerCase(Locale.ROOT) + "@localhost",
              passwords.hash(password),
              User.ROLE_ADMIN,
              "UTC");
      rank(admin);
      log.info(
          "created the first administrator '{}' with SKILLQUEST_ADMIN_PASSWORD or, in development"
              + " without it, the password kept in the data directory",
          username);
    } catch (DuplicateKeyException e) {
      // another server instance, starting at the same time, created it first
      log.info("administrator '{}' already exists", username);
    }
  }

  /**
   * Checks a password under the {@link LoginGuard} limits. A name that could never be registered
   * (non-ASCII look-alikes such as U+0130 or the Kelvin sign, which PostgreSQL's lower() may fold
   * onto a real name) is refused with the same 401 before any lookup.
   */
  Pair login(String username, String password, String ip) {
    if (!USERNAME.matcher(username).matches()) {
      throw Problem.unauthorized(BAD_CREDENTIALS);
    }
    var user = users.findByUsername(username);
    var hold =
        loginGuard.enter(
            user.map(LoginGuard::account).orElseGet(() -> LoginGuard.account(username)), ip);
    boolean ok;
    try {
      ok =
          user.isPresent()
              ? passwords.verify(password, user.get().passwordHash())
              : passwords.verifyAgainstNobody(password);
    } catch (RuntimeException e) {
      hold.aborted();
      throw e;
    }
    if (!ok) {
      throw Problem.unauthorized(BAD_CREDENTIALS);
    }
    hold.succeeded();
    var u = user.get();
    var family = UUID.randomUUID();
    var refresh = tokens.sign(Tokens.Type.REFRESH, u.id(), u.username(), u.role(), family);
    jdbi.useHandle(
        h -> RefreshTokenDao.insert(h, refresh.jti(), family, u.id(), refresh.expiresAt()));
    return new Pair(
        tokens.sign(Tokens.Type.ACCESS, u.id(), u.username(), u.role(), family), refresh);
  }

  private sealed interface Rotation {
    record Rotated(User user, Tokens.Signed refresh) implements Rotation {}

    record Reused(UUID family) implements Rotation {}

    record Refused(String reason) implements Rotation {}
  }

  /**
   * Spends the presented refresh token and issues its successor; presenting a spent one revokes the
   * family.
   */
  Pair refresh(String refreshToken) {
    var claims = tokens.verify(refreshToken, Tokens.Type.REFRESH);
    Rotation outcome =
        jdbi.inTransaction(
            h -> {
              RefreshTokenDao.lockFamily(h, claims.familyId());
              var row = RefreshTokenDao.lock(h, claims.jti());
              if (row.isEmpty() || row.get().revoked()) {
                return new Rotation.Refused("the refresh token has been revoked");
              }
              if (row.get().spent()) {
                RefreshTokenDao.revokeFamily(h, row.get().familyId());
                return new Rotation.Reused(row.get().familyId());
              }
              var user = UserDao.findById(h, row.get().userId());
              if (user.isEmpty()) {
                return new Rotation.Refused("the account no longer exists");
              }
              RefreshTokenDao.spend(h, claims.jti());
              var u = user.get();
              var next =
                  tokens.sign(
                      Tokens.Type.REFRESH, u.id(), u.username(), u.role(), row.get().familyId());
              RefreshTokenDao.insert(h, next.jti(), row.get().familyId(), u.id(), next.expiresAt());
              return new Rotation.Rotated(u, next);
            });
    if (outcome instanceof Rotation.Rotated r) {
      var u = r.user();
      return new Pair(
          tokens.sign(Tokens.Type.ACCESS, u.id(), u.username(), u.role(), claims.familyId()),
          r.refresh());
    }
    if (outcome instanceof Rotation.Reused reused) {
      // a spent token came back: someone holds a copy. End the whole login, access tokens included.
      log.warn("refresh token reuse detected for user_id={}; family revoked", claims.userId());
      revokeFamilyAccess(reused.family());
      throw Problem.unauthorized("the refresh token was already used; this login has been revoked");
    }
    throw Problem.unauthorized(((Rotation.Refused) outcome).reason());
  }

  /**
   * Revokes the caller's access token (by jti, until it expires) and its whole login family. Redis
   * must answer here: a logout that silently left the access token alive would be a lie, so an
   * outage is a 503 the client can retry (the database half is idempotent).
   */
  void logout(Principal p) {
    var family = UUID.fromString(p.familyId());
    jdbi.useTransaction(
        h -> {
          RefreshTokenDao.lockFamily(h, family);
          RefreshTokenDao.revokeFamily(h, family);
        });
    var remaining = Duration.between(clock.instant(), p.expiresAt());
    try {
      if (!remaining.isNegative() && !remaining.isZero()) {
        redis.set(keys.revokedToken(p.jti()), "1", SetParams.setParams().px(remaining.toMillis()));
      }
      revokeFamilyAccessOrThrow(family);
    } catch (JedisException e) {
      log.warn("logout could not reach Redis: {}", e.toString());
      throw new Problem(503, "Service Unavailable", "logout could not be completed, please retry");
    }
  }

  /** Drops refresh-token rows past expiry (their JWTs are dead anyway); run at start-up. */
  public void purgeExpiredRefreshTokens() {
    int n = jdbi.withHandle(RefreshTokenDao::deleteExpired);
    if (n > 0) {
      log.info("deleted {} expired refresh tokens", n);
    }
  }

  Optional<User> find(long id) {
    return users.findById(id);
  }

  private void revokeFamilyAccess(UUID family) {
    try {
      revokeFamilyAccessOrThrow(family);
    } catch (JedisException e) {
      log.warn(
          "could not revoke access tokens of a reused refresh family in Redis: {}", e.toString());
    }
  }

  private void revokeFamilyAccessOrThrow(UUID family) {
    // every access token of the family expires within ACCESS_TTL, so the marker need not live
    // longer
    redis.set(
        keys.revokedFamily(family), "1", SetParams.setParams().px(Tokens.ACCESS_TTL.toMillis()));
  }

  private User insert(String username, String email, String hash, String role, String zone) {
    return users.insert(username, email, hash, role, zone);
  }

  /**
   * Ranks the new user at 0 XP, so 0-XP users appear on the leaderboard. A Redis failure is only
   * logged: the worker's staleness check rebuilds the sorted set from the database.
   */
  private void rank(User user) {
    try {
      leaderboard.raise(new Standing(user.id(), 0, user.createdAt()));
    } catch (JedisException e) {
      leaderboardFailOpen.record(e);
    } catch (RuntimeException e) {
      log.warn("could not rank new user_id={}: {}", user.id(), e.toString());
    }
  }
}
