package io.skillquest.server.http;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Path and query parameters, validated into 4xx problems rather than 500s. */
public final class Params {
  private Params() {}

  /**
   * A positive numeric id from the path; anything else is malformed (400), since the document
   * declares ids as positive 64-bit integers. A well-formed id that names no row is the handler's
   * 404.
   */
  public static long id(Context ctx, String name) {
    var raw = ctx.pathParam(name);
    try {
      long id = Long.parseLong(raw);
      if (id > 0 && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.invalidField(
        name, "must be a positive integer id, not '" + abbreviate(raw) + "'");
  }

  /**
   * A query parameter, or null when it is absent. Javalin leaves out a parameter whose
   * percent-encoding it cannot decode, which would read as absent and answer with the default; a
   * query string that does not decode is a 400 instead.
   */
  public static String query(Context ctx, String name) {
    var value = ctx.queryParam(name);
    if (value == null) {
      requireDecodable(ctx.queryString());
    }
    return value;
  }

  private static void requireDecodable(String query) {
    if (query == null || query.indexOf('%') < 0) {
      return;
    }
    for (var part : query.split("&")) {
      try {
        URLDecoder.decode(part, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw Problem.badRequest(
            "the query string is not valid percent-encoding at '" + abbreviate(part) + "'");
      }
    }
  }

  /** An optional integer query parameter in [min, max]; 400 naming the parameter otherwise. */
  public static int queryInt(Context ctx, String name, int defaultValue, int min, int max) {
    var raw = query(ctx, name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    throw Problem.invalidField(name, "must be an integer between " + min + " and " + max);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
