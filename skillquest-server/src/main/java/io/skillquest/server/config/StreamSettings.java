package io.skillquest.server.config;

import io.skillquest.store.Env;
import java.time.Duration;

/**
 * Server-Sent Event streams ({@code /events/stream}, {@code /leaderboard/stream}).
 *
 * @param keepAlive SKILLQUEST_STREAM_KEEPALIVE_MS (15000, at most 25000 so a stream never sits idle
 *     as long as the HTTP server's 30 s connection idle timeout): a comment line this often keeps
 *     idle streams open through proxies and lets the server notice clients that went away
 * @param maxPerUser SKILLQUEST_STREAM_MAX_PER_USER (5): open event streams one user may hold on one
 *     server (a few tabs and devices, not a leak)
 * @param maxPerServer SKILLQUEST_STREAM_MAX (1000): open streams of any kind on one server; each
 *     costs a connection and a little memory, never a thread
 * @param fallbackRead SKILLQUEST_STREAM_FALLBACK_MS (5000): how often the outbox is read even
 *     without a notification, so a missed one delays an event by at most this much
 */
public record StreamSettings(
    Duration keepAlive, int maxPerUser, int maxPerServer, Duration fallbackRead) {

  public static final StreamSettings DEFAULT =
      new StreamSettings(Duration.ofSeconds(15), 5, 1000, Duration.ofSeconds(5));

  static StreamSettings read(Env env) {
    return new StreamSettings(
        Duration.ofMillis(
            env.integer(
                "SKILLQUEST_STREAM_KEEPALIVE_MS",
                (int) DEFAULT.keepAlive().toMillis(),
                50,
                25_000)),
        env.integer("SKILLQUEST_STREAM_MAX_PER_USER", DEFAULT.maxPerUser(), 1, 1000),
        env.integer("SKILLQUEST_STREAM_MAX", DEFAULT.maxPerServer(), 1, 100_000),
        Duration.ofMillis(
            env.integer(
                "SKILLQUEST_STREAM_FALLBACK_MS",
                (int) DEFAULT.fallbackRead().toMillis(),
                100,
                60_000)));
  }
}
