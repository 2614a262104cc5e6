package io.skillquest.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import io.skillquest.server.config.Secret;
import io.skillquest.server.http.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs and verifies JWTs (HS256). Claims: {@code sub} user id, {@code name}, {@code role}, {@code
 * typ} ({@code access} or {@code refresh}), {@code jti}, {@code fam} (the login's family id),
 * {@code iat}, {@code exp}, {@code iss} ({@value #ISSUER}) and {@code aud} ({@value #AUDIENCE}).
 * The {@code typ} check is what stops a refresh token being used as an access token and vice versa;
 * issuer and audience stop a token minted by another service that shares the key. Times get {@link
 * #LEEWAY} either way, for clocks a little apart across instances.
 */
public final class Tokens {
  public static final Duration ACCESS_TTL = Duration.ofMinutes(30);
  public static final Duration REFRESH_TTL = Duration.ofDays(7);
  public static final String ISSUER = "skillquest";
  public static final String AUDIENCE = "skillquest-api";
  public static final Duration LEEWAY = Duration.ofSeconds(5);

  /** What a token is for; the wire value is the {@code typ} claim. */
  public enum Type {
    ACCESS("access", ACCESS_TTL),
    REFRESH("refresh", REFRESH_TTL);

    final String claim;
    final Duration ttl;

    Type(String claim, Duration ttl) {
      this.claim = claim;
      this.ttl = ttl;
    }

    public Duration ttl() {
      return ttl;
    }
  }

  /** A verified token's claims. */
  public record Claims(
      long userId, String username, String role, UUID jti, UUID familyId, Instant expiresAt) {}

  /** One signed token and the identifiers the server keeps about it. */
  public record Signed(String token, UUID jti, Instant expiresAt) {}

  /** Verified access tokens kept at most; beyond it the cache starts over. */
  static final int VERIFIED_CAPACITY = 10_000;

  private final Algorithm algorithm;

  /**
   * Access tokens already verified, by their exact text. Verifying one (an HMAC and two JSON
   * parses) cost about a third of a /leaderboard/me call; a hit still checks the token's expiry,
   * and revocation is checked by the caller on every call whatever this holds.
   */
  private final Map<String, Claims> verified = new ConcurrentHashMap<>();

  private final JWTVerifier accessVerifier;
  private final JWTVerifier refreshVerifier;
  private final Clock clock;

  public Tokens(Secret secret, Clock clock) {
    this.algorithm = Algorithm.HMAC256(secret.bytes());
    this.clock = clock;
    // require() pins the algorithm: a token with alg=none or RS256 fails verification
    this.accessVerifier =
        JWT.require(algorithm)
            .withIssuer(ISSUER)
            .withAudience(AUDIENCE)
            .acceptLeeway(LEEWAY.toSeconds())
            .withClaim("typ", Type.ACCESS.claim)
            .withClaimPresence("sub")
            .withClaimPresence("jti")
            .withClaimPresence("fam")
            .withClaimPresence("exp")
            .build();
    this.refreshVerifier =
        JWT.require(algorithm)
            .withIssuer(ISSUER)
            .withAudience(AUDIENCE)
            .acceptLeeway(LEEWAY.toSeconds())
            .withClaim("typ", Type.REFRESH.claim)
            .withClaimPresence("sub")
            .withClaimPresence("jti")
            .withClaimPresence("fam")
            .withClaimPresence("exp")
            .build();
  }

  public Signed sign(Type type, long userId, String username, String role, UUID familyId) {
    return sign(type, userId, username, role, UUID.randomUUID(), familyId);
  }

  public Signed sign(
      Type type, long userId, String username, String role, UUID jti, UUID familyId) {
    var now = clock.instant();
    var expires = now.plus(type.ttl);
    var token =
        JWT.create()
            .withIssuer(ISSUER)
            .withAudience(AUDIENCE)
            .withSubject(Long.toString(userId))
            .withClaim("name", username)
            .withClaim("role", role)
            .withClaim("typ", type.claim)
            .withJWTId(jti.toString())
            .withClaim("fam", familyId.toString())
            .withIssuedAt(now)
            .withExpiresAt(expires)
            .sign(algorithm);
    return new Signed(token, jti, expires);
  }

  /**
   * Verifies signature, algorithm, expiry and type; 401 otherwise (the reason stays vague on
   * purpose).
   */
  public Claims verify(String token, Type expected) {
    if (expected == Type.ACCESS) {
      var known = verified.get(token);
      if (known != null) {
        // the verifier's own clock: a cached token expires exactly when it would be refused
        if (!Instant.now().isAfter(known.expiresAt().plus(LEEWAY))) {
          return known;
        }
        verified.remove(token); // expired: the verifier below says so
      }
    }
    var claims = verifyAfresh(token, expected);
    if (expected == Type.ACCESS) {
      if (verified.size() >= VERIFIED_CAPACITY) {
        verified.clear();
      }
      verified.put(token, claims);
    }
    return claims;
  }

  private Claims verifyAfresh(String token, Type expected) {
    try {
      var jwt = (expected == Type.ACCESS ? accessVerifier : refreshVerifier).verify(token);
      return new Claims(
          Long.parseLong(jwt.getSubject()),
          jwt.getClaim("name").asString(),
          jwt.getClaim("role").asString(),
          UUID.fromString(jwt.getId()),
          UUID.fromString(jwt.getClaim("fam").asString()),
          jwt.getExpiresAtAsInstant());
    } catch (TokenExpiredException e) {
      throw Problem.unauthorized("the " + expected.claim + " token has expired");
    } catch (JWTVerificationException | IllegalArgumentException | NullPointerException e) {
      throw Problem.unauthorized("invalid " + expected.claim + " token");
    }
  }
}
