package io.skillquest.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.Set;

/**
 * Request bodies: strict JSON into records; Jackson's complaints become 400s in {@link Problems}.
 */
public final class Bodies {
  private Bodies() {}

  /**
   * The body as {@code type}; 400 when it is empty, {@code null} or not a JSON object of that
   * shape.
   */
  public static <T> T json(Context ctx, Class<T> type) {
    if (ctx.body().isBlank()) {
      throw Problem.badRequest("a JSON request body is required");
    }
    if (!isJson(ctx.contentType())) {
      throw Problem.unsupportedMediaType(
          "the request body must be sent as Content-Type: application/json");
    }
    T value;
    try {
      value = ctx.bodyAsClass(type);
    } catch (NullPointerException e) {
      // Javalin's Kotlin signature refuses the null that Jackson returns for a body of "null"
      value = null;
    }
    if (value == null) {
      throw Problem.badRequest("the JSON request body must be an object, not null");
    }
    return value;
  }

  /** application/json or a JSON suffix type (application/merge-patch+json), any parameters. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    var type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /**
   * A PATCH body: the fields as {@code type} plus the names the client actually sent, since an
   * absent field means "unchanged" while an explicit {@code null} means "clear" (or is invalid).
   */
  public record Patch<T>(T fields, Set<String> present) {}

  public static <T> Patch<T> patch(Context ctx, Class<T> type, ObjectMapper mapper)
      throws JsonProcessingException {
    var body = json(ctx, ObjectNode.class);
    var present = new HashSet<String>();
    body.fieldNames().forEachRemaining(present::add);
    return new Patch<>(mapper.treeToValue(body, type), Set.copyOf(present));
  }
}
