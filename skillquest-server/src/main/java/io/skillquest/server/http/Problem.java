package io.skillquest.server.http;

import java.util.Map;

/**
 * An RFC 9457 problem, thrown anywhere a request must be refused; {@link Problems} writes it.
 * {@code errors} maps a field (JSON pointer-ish name, e.g. {@code score} or {@code condition.days})
 * to what is wrong with it.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final Map<String, String> errors;
  private final Map<String, String> headers;

  public Problem(int status, String title, String detail, Map<String, String> errors) {
    this(status, title, detail, errors, Map.of());
  }

  private Problem(
      int status,
      String title,
      String detail,
      Map<String, String> errors,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = Map.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public Problem(int status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad Request", detail);
  }

  public static Problem invalidField(String field, String reason) {
    return new Problem(400, "Bad Request", field + ": " + reason, Map.of(field, reason));
  }

  public static Problem invalid(Map<String, String> errors) {
    var detail =
        errors.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .sorted()
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid request");
    return new Problem(400, "Bad Request", detail, errors);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail);
  }

  /** 405 with the Allow header listing what the path does answer. */
  public static Problem methodNotAllowed(String detail, String allow) {
    return new Problem(405, "Method Not Allowed", detail, Map.of(), Map.of("Allow", allow));
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "Unsupported Media Type", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  /** 429 with the Retry-After header clients need to back off. */
  public static Problem tooManyRequests(String detail, long retryAfterSeconds) {
    return new Problem(
        429,
        "Too Many Requests",
        detail,
        Map.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /** 503 with Retry-After: a dependency is degraded and the client should come back shortly. */
  public static Problem unavailable(String detail, long retryAfterSeconds) {
    return new Problem(
        503,
        "Service Unavailable",
        detail,
        Map.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, String> errors() {
    return errors;
  }

  /** Response headers that belong to this problem (e.g. Retry-After). */
  public Map<String, String> headers() {
    return headers;
  }
}
