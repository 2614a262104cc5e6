package io.skillquest.server.user;

import io.javalin.apibuilder.EndpointGroup;
import io.skillquest.server.Services;

/** PLACEHOLDER until the resources engineer lands it: routes of this resource. */
public final class MyRoutes implements EndpointGroup {
    private final Services services;

    public MyRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void addEndpoints() {
    }
}
