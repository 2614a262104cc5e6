package io.skillquest.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.skillquest.core.queue.Keys;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.JedisPooled;

/** What every resource's routes may use; built once in {@link SkillQuestServer}. */
public record Services(
    Config config,
    Jdbi jdbi,
    JedisPooled redis,
    Keys keys,
    ObjectMapper json,
    PrometheusMeterRegistry metrics,
    Clock clock) {}
