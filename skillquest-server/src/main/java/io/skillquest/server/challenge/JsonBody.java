package io.skillquest.server.challenge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.skillquest.server.http.Problem;

/**
 * Reads a request body that must be a JSON object, through the tree: PATCH can then tell an absent field from an
 * explicit {@code null}, and a body of {@code null}, {@code []} or {@code 42} is a 400 rather than a null record.
 * Binding the tree keeps the mapper's strictness; {@code Problems} turns its complaints into field-level 400s.
 * (Used instead of {@code http.Bodies}, whose {@code bodyAsClass} throws a Kotlin NPE, a 500, on a {@code null} body.)
 */
public final class JsonBody {
    private JsonBody() {
    }

    public static ObjectNode object(Context ctx, ObjectMapper mapper) throws JsonProcessingException {
        var body = ctx.body();
        if (body.isBlank()) {
            throw Problem.badRequest("a JSON object body is required");
        }
        if (!(mapper.readTree(body) instanceof ObjectNode node)) {
            throw Problem.badRequest("the body must be a JSON object");
        }
        return node;
    }

    public static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type) throws JsonProcessingException {
        return mapper.treeToValue(object(ctx, mapper), type);
    }
}
