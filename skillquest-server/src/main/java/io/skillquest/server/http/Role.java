package io.skillquest.server.http;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Checked in one place, {@link AuthFilter}; routes without a role are open to
 * anyone.
 */
public enum Role implements RouteRole {
  /** Open to anyone; a valid token, if sent, is still read (admins see unpublished challenges). */
  ANYONE,
  /** Any signed-in user. */
  USER,
  /** Administrators only. */
  ADMIN
}
