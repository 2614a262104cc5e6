package io.skillquest.server.http;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Checked in one place, {@link AuthFilter}; routes without a role are open to
 * anyone. People (users, admins) sign in with access tokens; servers (API clients) use a secret and
 * may call only the routes of a role that names one of their scopes.
 */
public enum Role implements RouteRole {
  /**
   * Open to anyone and never reads the Authorization header: logging in, refreshing, health checks,
   * metrics and the docs must work for a client that attaches a stale or foreign credential to
   * every call (an expired access token is the very reason to refresh).
   */
  PUBLIC,
  /**
   * Open to anyone; a token, if sent, is read and must be valid (admins see unpublished
   * challenges).
   */
  ANYONE,
  /** Any signed-in user. */
  USER,
  /** Administrators only. */
  ADMIN,
  /**
   * API clients holding the scope {@code grade} (graders scoring external challenges); never a
   * user's access token.
   */
  GRADER("grade");

  private final String scope;

  Role() {
    this(null);
  }

  Role(String scope) {
    this.scope = scope;
  }

  /** The API client scope this role stands for; null for the roles of people. */
  public String scope() {
    return scope;
  }
}
