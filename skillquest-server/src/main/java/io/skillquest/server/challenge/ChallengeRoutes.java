package io.skillquest.server.challenge;

import io.javalin.apibuilder.EndpointGroup;
import io.skillquest.server.Services;

/** PLACEHOLDER until the resources engineer lands it: routes of this resource. */
public final class ChallengeRoutes implements EndpointGroup {
    private final Services services;

    public ChallengeRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void addEndpoints() {
    }
}
