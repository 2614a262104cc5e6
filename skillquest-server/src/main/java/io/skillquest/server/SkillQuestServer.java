package io.skillquest.server;

import static io.javalin.apibuilder.ApiBuilder.path;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.skillquest.server.attempt.AttemptRoutes;
import io.skillquest.server.badge.BadgeRoutes;
import io.skillquest.server.challenge.ChallengeRoutes;
import io.skillquest.server.http.Json;
import io.skillquest.server.http.Problems;
import io.skillquest.server.leaderboard.LeaderboardRoutes;
import io.skillquest.server.user.MyRoutes;

/** Entry point and wiring: plain constructors, no container. (Skeleton; the platform engineer completes it.) */
public final class SkillQuestServer {
    private SkillQuestServer() {
    }

    static Javalin app(Services s) {
        var app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = 1 << 20;
            cfg.jsonMapper(new JavalinJackson(s.json(), false));
            cfg.router.apiBuilder(() -> path("/api/v1", () -> {
                path("challenges", new ChallengeRoutes(s));
                path("attempts", new AttemptRoutes(s));
                path("badges", new BadgeRoutes(s));
                path("users/me", new MyRoutes(s));
                path("leaderboard", new LeaderboardRoutes(s));
            }));
        });
        Problems.register(app);
        return app;
    }
}
