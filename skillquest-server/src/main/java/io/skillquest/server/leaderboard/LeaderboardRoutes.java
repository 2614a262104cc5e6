package io.skillquest.server.leaderboard;

import io.javalin.apibuilder.EndpointGroup;
import io.skillquest.server.Services;

/** PLACEHOLDER until the resources engineer lands it: routes of this resource. */
public final class LeaderboardRoutes implements EndpointGroup {
    private final Services services;

    public LeaderboardRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void addEndpoints() {
    }
}
