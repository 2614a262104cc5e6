package io.skillquest.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.skillquest.store.DuplicateKeyException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place errors become RFC 9457 {@code application/problem+json} responses. */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static final String ACCOUNT_CONFLICT = "that username or email cannot be used";

  /**
   * What a broken unique index means to the client; the index decides, so there is no
   * check-then-act race anywhere.
   */
  private static final Map<String, String> CONFLICTS =
      Map.of(
          // one answer for both: registration must not state that an email is registered
          "users_username_key", ACCOUNT_CONFLICT,
          "users_email_key", ACCOUNT_CONFLICT,
          "badges_name_key",
              "a badge with this name already exists (names are unique ignoring case)");

  public static void register(RoutesConfig app, RouteTable routes) {
    app.exception(Problem.class, Problems::write);
    app.exception(
        DuplicateKeyException.class,
        (e, ctx) ->
            write(
                Problem.conflict(
                    CONFLICTS.getOrDefault(e.constraint(), "that resource already exists")),
                ctx));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          var known =
              e.getStatus() == 404 ? routes.methods(ctx.path()) : java.util.Set.<String>of();
          if (!known.isEmpty()) {
            write(
                Problem.methodNotAllowed(
                    ctx.method() + " is not allowed on " + ctx.path(), String.join(", ", known)),
                ctx);
            return;
          }
          write(new Problem(e.getStatus(), reason(e.getStatus()), e.getMessage()), ctx);
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          var tooLarge = cause(e, BodyLimit.TooLarge.class);
          if (tooLarge != null) {
            write(BodyLimit.tooLarge(tooLarge.maxBytes), ctx);
            return;
          }
          var malformed = malformedMessage(e);
          if (malformed != null) {
            // the request's bytes broke HTTP itself (a bad chunk, say): refuse it, it is not ours
            write(
                new Problem(
                    malformed.getCode(),
                    reason(malformed.getCode()),
                    "the request is not valid HTTP: " + malformed.getReason()),
                ctx);
            return;
          }
          var json = jsonCause(e);
          if (json != null) {
            write(fromJson(json), ctx);
            return;
          }
          if (isBadValue(e)) {
            // input validation let through a value PostgreSQL cannot store (a NUL byte, say): still
            // the client's
            write(
                Problem.badRequest(
                    "the request contains a value that cannot be stored (e.g. a NUL character)"),
                ctx);
            return;
          }
          // Never leak internals: the trace goes to the log, the client gets an opaque 500.
          log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
          write(new Problem(500, "Internal Server Error", "an unexpected error occurred"), ctx);
        });
    app.error(
        404,
        ctx -> {
          if (!isProblem(ctx)) {
            write(Problem.notFound("no route for " + ctx.method() + " " + ctx.path()), ctx);
          }
        });
    app.error(
        405,
        ctx -> {
          if (!isProblem(ctx)) {
            write(
                new Problem(
                    405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path()),
                ctx);
          }
        });
  }

  public static void write(Problem p, Context ctx) {
    var body = new LinkedHashMap<String, Object>();
    body.put("type", "about:blank");
    body.put("title", p.title());
    body.put("status", p.status());
    body.put("detail", p.detail());
    body.put("instance", ctx.path());
    if (!p.errors().isEmpty()) {
      body.put("errors", p.errors());
    }
    p.headers().forEach(ctx::header);
    ctx.status(p.status()).json(body).contentType("application/problem+json");
  }

  private static boolean isProblem(Context ctx) {
    var type = ctx.res().getContentType();
    return type != null && type.startsWith("application/problem+json");
  }

  /** Jetty's verdict on a request it could not parse while the body was read, if that failed. */
  private static HttpException malformedMessage(Throwable e) {
    for (var t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
        return http;
      }
    }
    return null;
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (var t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** SQLSTATE class 22 (data exception) or a CHECK violation: the value was bad, not the server. */
  private static boolean isBadValue(Throwable e) {
    for (var t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("22") || sql.getSQLState().equals("23514"))) {
        return true;
      }
    }
    return false;
  }

  private static JsonProcessingException jsonCause(Throwable e) {
    for (var t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException j) {
        return j;
      }
    }
    return null;
  }

  /** Turns Jackson's complaint into a field-level 400 without echoing the payload. */
  static Problem fromJson(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return Problem.invalidField(u.getPropertyName(), "unknown field");
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      var field =
          m.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      var expected = m.getTargetType() == null ? "a valid value" : describe(m.getTargetType());
      var reason =
          e instanceof InvalidFormatException ? "must be " + expected : "must be " + expected;
      return Problem.invalid(Map.of(field, reason));
    }
    return Problem.badRequest("malformed JSON body");
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "a JSON " + (type.isRecord() || Map.class.isAssignableFrom(type) ? "object" : "value");
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Bad Request";
    };
  }
}
