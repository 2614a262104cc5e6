package io.skillquest.server.attempt;

import io.javalin.apibuilder.EndpointGroup;
import io.skillquest.server.Services;

/** PLACEHOLDER until the resources engineer lands it: routes of this resource. */
public final class AttemptRoutes implements EndpointGroup {
    private final Services services;

    public AttemptRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void addEndpoints() {
    }
}
