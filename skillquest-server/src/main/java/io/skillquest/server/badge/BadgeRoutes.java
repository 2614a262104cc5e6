package io.skillquest.server.badge;

import io.javalin.apibuilder.EndpointGroup;
import io.skillquest.server.Services;

/** PLACEHOLDER until the resources engineer lands it: routes of this resource. */
public final class BadgeRoutes implements EndpointGroup {
    private final Services services;

    public BadgeRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void addEndpoints() {
    }
}
