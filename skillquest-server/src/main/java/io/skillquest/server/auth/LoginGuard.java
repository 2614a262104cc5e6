package io.skillquest.server.auth;

import io.skillquest.core.Keys;
import io.skillquest.server.config.AuthSettings;
import io.skillquest.server.config.Limit;
import io.skillquest.server.http.RateLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The limits around a password check, all in Redis so they hold across instances:
 *
 * <ul>
 *   <li>failed logins per (account, client IP): an attacker burns only their own address's budget,
 *       so they cannot lock the owner out from another address;
 *   <li>failed logins per account from all addresses, {@link AuthSettings#ACCOUNT_CEILING_FACTOR}
 *       times higher: a guessing run spread over many addresses still stops;
 *   <li>password verifications per client IP, failed or not: each costs bcrypt time, so this bounds
 *       the CPU one address can make the server burn (unknown names included).
 * </ul>
 *
 * The account is the resolved user id when the name exists, so no spelling of a name gets a budget
 * of its own; an unknown name is keyed on its lower-cased ASCII form (login names are ASCII, see
 * {@link Accounts#USERNAME}).
 */
final class LoginGuard {
  private final RateLimiter limiter;
  private final Keys keys;
  private final Limit perAccountAndIp;
  private final Limit perAccount;
  private final Limit verificationsPerIp;

  LoginGuard(RateLimiter limiter, Keys keys, AuthSettings auth) {
    this.limiter = limiter;
    this.keys = keys;
    this.perAccountAndIp = auth.loginFailureLimit();
    this.perAccount = auth.accountFailureCeiling();
    this.verificationsPerIp = auth.loginIpLimit();
  }

  /** Names the account a login is for: its user id when it exists. */
  static String account(User user) {
    return "user:" + user.id();
  }

  /** An unknown (ASCII-only) login name. */
  static String account(String asciiName) {
    return "name:" + asciiName.toLowerCase(Locale.ROOT);
  }

  /** Places held for one login in flight; {@link #succeeded} gives the failure places back. */
  final class Hold {
    private final List<String> failureKeys;

    private Hold(List<String> failureKeys) {
      this.failureKeys = failureKeys;
    }

    /** The password was right: this login was no failure. */
    void succeeded() {
      failureKeys.forEach(limiter::release);
    }

    /** The check itself failed (a database blip): not the caller's failure either. */
    void aborted() {
      succeeded();
    }
  }

  /**
   * Holds a place as a failure in every limit until the password checks out, so parallel guesses
   * get no more verifications than the limits; 429 with Retry-After when any limit is full (even
   * for the right password: an attacker must not learn that it is right).
   */
  Hold enter(String account, String ip) {
    var held = new ArrayList<String>();
    try {
      take(held, keys.rateLimit("login-failures", account + "@" + ip), perAccountAndIp, true);
      take(held, keys.rateLimit("login-failures-account", account), perAccount, true);
      take(held, keys.rateLimit("login-verifications", ip), verificationsPerIp, false);
    } catch (RuntimeException e) {
      held.forEach(limiter::release);
      throw e;
    }
    return new Hold(List.copyOf(held));
  }

  private void take(List<String> held, String key, Limit limit, boolean failure) {
    var decision = limiter.hit(key, limit);
    RateLimiter.enforce429(
        decision,
        failure ? "too many failed logins for this account" : "too many logins from this address");
    if (failure) {
      held.add(key);
    }
  }
}
