package io.skillquest.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.skillquest.core.Keys;
import io.skillquest.server.config.Config;
import io.skillquest.store.leaderboard.LeaderboardStore;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.UnifiedJedis;

/** What every resource's routes may use; built once by the server's composition root. */
public record Services(
    Config config,
    Jdbi jdbi,
    UnifiedJedis redis,
    Keys keys,
    LeaderboardStore leaderboard,
    ObjectMapper json,
    PrometheusMeterRegistry metrics,
    Clock clock) {}
