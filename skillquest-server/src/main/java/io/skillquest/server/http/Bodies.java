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
}
