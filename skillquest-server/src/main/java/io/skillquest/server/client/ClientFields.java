package io.skillquest.server.client;

import java.util.List;

/** Body of POST /admin/clients. */
public record ClientFields(String name, List<String> scopes) {}
