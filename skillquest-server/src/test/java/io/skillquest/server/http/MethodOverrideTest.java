package io.skillquest.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.challenge.Fixtures;
import io.skillquest.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A method-override header is refused before routing: nothing runs under another method. */
class MethodOverrideTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @Test
  void getWithADeleteOverrideDeletesNothing() {
    long id = Fixtures.publishedChallenge(server, 10);
    for (var header :
        new String[] {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"}) {
      var r =
          server.send(
              "GET",
              TestServer.API + "/challenges/" + id,
              HttpRequest.BodyPublishers.noBody(),
              Map.of("Authorization", "Bearer " + server.adminToken(), header, "DELETE"));
      assertThat(r.status()).as(header).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.get("detail").asText()).contains(header);
    }
    assertThat(server.get("/challenges/" + id, null).status())
        .as("the challenge is still there")
        .isEqualTo(200);
  }

  @Test
  void anOverrideOnAPostIsRefusedToo() {
    var r =
        server.send(
            "POST",
            TestServer.API + "/challenges",
            HttpRequest.BodyPublishers.ofString("{}"),
            Map.of(
                "Authorization",
                "Bearer " + server.adminToken(),
                "Content-Type",
                "application/json",
                "X-HTTP-Method-Override",
                "PATCH"));
    assertThat(r.status()).isEqualTo(400);
  }
}
