package io.skillquest.server.http;

import java.util.Set;

/** The calling API client (a server, not a person), taken from a verified client secret. */
public record ClientPrincipal(long id, String name, Set<String> scopes) {}
