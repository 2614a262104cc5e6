package io.skillquest.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.SseReader;
import io.skillquest.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Caps, keep-alive and shutdown, each on a server configured for it. */
class StreamLimitsTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  static SseReader open(TestServer server, String path, TestServer.Tokens who) {
    return SseReader.open(
        server.baseUrl() + "/api/v1" + path,
        who == null ? Map.of() : Map.of("Authorization", "Bearer " + who.access()));
  }

  @Test
  void streamsBeyondTheUserOrServerCapAre429() {
    try (var server =
        TestServer.builder()
            .withoutWorker()
            .env("SKILLQUEST_STREAM_MAX_PER_USER", "2")
            .env("SKILLQUEST_STREAM_MAX", "3")
            // a server notices a client that went away when its next write fails
            .env("SKILLQUEST_STREAM_KEEPALIVE_MS", "300")
            .start()) {
      var hal = server.registerAndLogin("hal");
      var ida = server.registerAndLogin("ida");
      var open = new ArrayList<SseReader>();
      try {
        open.add(open(server, "/events/stream", hal));
        open.add(open(server, "/events/stream", hal));
        assertThat(open).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
        try (var third = open(server, "/events/stream", hal)) {
          assertThat(third.status()).as("per user").isEqualTo(429);
          assertThat(third.header("Retry-After")).isNotNull();
          assertThat(third.text()).contains("per user");
        }
        open.add(open(server, "/events/stream", ida));
        assertThat(open.get(2).status()).isEqualTo(200);
        try (var fourth = open(server, "/events/stream", ida);
            var board = open(server, "/leaderboard/stream", null)) {
          assertThat(fourth.status()).as("per server").isEqualTo(429);
          assertThat(board.status()).as("public streams count too").isEqualTo(429);
        }
        // a closed stream frees its place
        open.remove(0).close();
        TestServer.await(
            "a place freed",
            WAIT,
            () -> {
              try (var again = open(server, "/events/stream", hal)) {
                return again.status() == 200;
              }
            });
      } finally {
        open.forEach(SseReader::close);
      }
    }
  }

  @Test
  void idleStreamsGetKeepAliveCommentsAndStopDoesNotWaitForThem() {
    var server =
        TestServer.builder().withoutWorker().env("SKILLQUEST_STREAM_KEEPALIVE_MS", "200").start();
    SseReader events;
    SseReader board;
    try {
      var jan = server.registerAndLogin("jan");
      events = open(server, "/events/stream", jan);
      board = open(server, "/leaderboard/stream", null);
      assertThat(events.status()).isEqualTo(200);
      TestServer.await(
          "keep-alive comments",
          WAIT,
          () -> events.comments().size() >= 2 && !board.comments().isEmpty());
      assertThat(events.comments()).allMatch(c -> c.equals("keep-alive"));
      assertThat(events.next(Duration.ZERO)).as("comments are not events").isNull();
    } finally {
      long start = System.nanoTime();
      server.close();
      // a graceful stop that waited for open streams would take its whole 10 s timeout
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }
    assertThat(events.awaitEnd(WAIT)).isTrue();
    assertThat(board.awaitEnd(WAIT)).isTrue();
  }
}
