package io.skillquest.server.auth;

/** Request and response bodies of /auth (snake_case on the wire via the shared mapper). */
final class AuthMessages {
  private AuthMessages() {}

  record RegisterRequest(String username, String email, String password, String timeZone) {}

  record LoginRequest(String username, String password) {}

  record RefreshRequest(String refreshToken) {}

  record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {}
}
