package io.skillquest.server.auth;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.skillquest.server.http.Auth;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import java.util.LinkedHashMap;

/** /auth: register, login (JSON or OAuth2 password grant), refresh, logout, me. */
public final class AuthRoutes implements EndpointGroup {
  private final Accounts accounts;

  public AuthRoutes(Accounts accounts) {
    this.accounts = accounts;
  }

  @Override
  public void addEndpoints() {
    post("register", this::register, Role.PUBLIC);
    post("login", this::login, Role.PUBLIC);
    post("refresh", this::refresh, Role.PUBLIC);
    post("logout", this::logout, Role.USER);
    get("me", this::me, Role.USER);
  }

  private void register(Context ctx) {
    var user = accounts.register(Bodies.json(ctx, AuthMessages.RegisterRequest.class));
    ctx.status(HttpStatus.CREATED).json(user.view());
  }

  private void login(Context ctx) {
    if (!isForm(ctx)) {
      tokens(ctx, login(Bodies.json(ctx, AuthMessages.LoginRequest.class), ctx.ip()));
      return;
    }
    try {
      tokens(ctx, login(fromForm(ctx), ctx.ip()));
    } catch (Problem p) {
      if (p.status() != 400 && p.status() != 401) {
        throw p; // 429 (with Retry-After) and 5xx have no RFC 6749 form: they stay problems
      }
      var grant = ctx.formParam("grant_type");
      var error = "invalid_request";
      if (p.status() == 401) {
        error = "invalid_grant";
      } else if (grant != null && !grant.isEmpty() && !grant.equals("password")) {
        error = "unsupported_grant_type";
      }
      var body = new LinkedHashMap<String, String>();
      body.put("error", error);
      body.put("error_description", p.detail());
      noStore(ctx).status(400).json(body);
    }
  }

  private Accounts.Pair login(AuthMessages.LoginRequest credentials, String ip) {
    var errors = new LinkedHashMap<String, String>();
    if (credentials.username() == null || credentials.username().isEmpty()) {
      errors.put("username", "is required");
    }
    if (credentials.password() == null || credentials.password().isEmpty()) {
      errors.put("password", "is required");
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    if (credentials.username().length() > 254 || credentials.password().length() > 1024) {
      // cannot match any account; refuse before spending bcrypt time on junk
      throw Problem.unauthorized(Accounts.BAD_CREDENTIALS);
    }
    return accounts.login(credentials.username(), credentials.password(), ip);
  }

  /** RFC 6749 section 5.1: token responses must not be cached. */
  private static Context noStore(Context ctx) {
    return ctx.header("Cache-Control", "no-store").header("Pragma", "no-cache");
  }

  private static void tokens(Context ctx, Accounts.Pair pair) {
    noStore(ctx).json(tokenResponse(pair));
  }

  private void refresh(Context ctx) {
    var request = Bodies.json(ctx, AuthMessages.RefreshRequest.class);
    if (request.refreshToken() == null || request.refreshToken().isBlank()) {
      throw Problem.invalidField("refresh_token", "is required");
    }
    tokens(ctx, accounts.refresh(request.refreshToken()));
  }

  private void logout(Context ctx) {
    accounts.logout(Auth.principal(ctx));
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private void me(Context ctx) {
    var user =
        accounts
            .find(Auth.principal(ctx).userId())
            .orElseThrow(() -> Problem.unauthorized("the account no longer exists"));
    ctx.json(user.view());
  }

  private static boolean isForm(Context ctx) {
    var type = ctx.contentType();
    return type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded");
  }

  /**
   * RFC 6749 section 4.3: grant_type=password&username=...&password=... (other fields such as scope
   * are ignored).
   */
  private static AuthMessages.LoginRequest fromForm(Context ctx) {
    var grant = ctx.formParam("grant_type");
    if (!"password".equals(grant)) {
      throw Problem.invalidField("grant_type", "only the 'password' grant is supported");
    }
    return new AuthMessages.LoginRequest(ctx.formParam("username"), ctx.formParam("password"));
  }

  private static AuthMessages.TokenResponse tokenResponse(Accounts.Pair pair) {
    return new AuthMessages.TokenResponse(
        pair.access().token(), pair.refresh().token(), "bearer", Tokens.ACCESS_TTL.toSeconds());
  }
}
