package io.skillquest.server.http;

import io.javalin.http.Context;

/** Request bodies: strict JSON into records; Jackson's complaints become 400s in {@link Problems}. */
public final class Bodies {
    private Bodies() {
    }

    /** The body as {@code type}; 400 when it is empty, {@code null} or not a JSON object of that shape. */
    public static <T> T json(Context ctx, Class<T> type) {
        if (ctx.body().isBlank()) {
            throw Problem.badRequest("a JSON request body is required");
        }
        T value = ctx.bodyAsClass(type);
        if (value == null) {
            throw Problem.badRequest("the JSON request body must be an object, not null");
        }
        return value;
    }
}
