package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.SkillQuestServer;
import io.skillquest.server.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One command, a whole system: embedded PostgreSQL, Redis and worker under a data directory that
 * survives restarts.
 */
class EmbeddedModeTest {

  @Test
  void startsStopsAndKeepsItsDataAndAdminPassword(@TempDir Path dir) throws Exception {
    var dataDir = dir.resolve("data");
    var env =
        Map.of(
            "SKILLQUEST_DATA_DIR",
            dataDir.toString(),
            "SKILLQUEST_PORT",
            "0",
            "SKILLQUEST_EMBEDDED_PG_PORT",
            "0",
            "SKILLQUEST_EMBEDDED_REDIS_PORT",
            "0",
            "SKILLQUEST_BCRYPT_COST",
            "4");
    String password;
    try (var server = SkillQuestServer.start(Config.fromEnv(env))) {
      assertThat(server.embedded()).isTrue();
      assertThat(server.config().runWorker()).isTrue();
      var file = dataDir.resolve("admin-password");
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("jwt-secret")))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      password = Files.readString(file).trim();
      assertThat(password).hasSizeGreaterThanOrEqualTo(16);
      assertThat(server.welcome())
          .contains("/docs")
          .contains(password)
          .contains("NOT for production");

      assertThat(
              post(
                  server,
                  "/api/v1/auth/login",
                  "{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
          .isEqualTo(200);
      assertThat(
              post(
                  server,
                  "/api/v1/auth/register",
                  "{\"username\":\"keeper\",\"email\":\"keeper@example.com\",\"password\":\"correct horse\"}"))
          .isEqualTo(201);
      assertThat(get(server, "/health")).isEqualTo(200);
    }
    assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();
    assertThat(dataDir.resolve("redis")).isDirectory();

    try (var again = SkillQuestServer.start(Config.fromEnv(env))) {
      assertThat(Files.readString(dataDir.resolve("admin-password")).trim()).isEqualTo(password);
      assertThat(
              post(
                  again,
                  "/api/v1/auth/login",
                  "{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
          .isEqualTo(200);
      assertThat(
              post(
                  again,
                  "/api/v1/auth/login",
                  "{\"username\":\"keeper\",\"password\":\"correct horse\"}"))
          .as("the account registered before the restart")
          .isEqualTo(200);
    }
  }

  private static int post(SkillQuestServer server, String path, String json) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int get(SkillQuestServer server, String path) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .GET()
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
