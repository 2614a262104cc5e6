package io.skillquest.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.server.SkillQuestServer;
import io.skillquest.server.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

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
      assertStoresRequireTheirPasswords(server, dataDir);
    }
    assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();
    assertThat(dataDir.resolve("redis")).isDirectory();

    // a data directory from before passwords: trust in pg_hba.conf, no password files; and a
    // signing key file left empty
    var hba = dataDir.resolve("postgres").resolve("pg_hba.conf");
    Files.writeString(hba, Files.readString(hba).replace("scram-sha-256", "trust"));
    Files.delete(dataDir.resolve("postgres-password"));
    Files.delete(dataDir.resolve("redis-password"));
    Files.writeString(dataDir.resolve("jwt-secret"), "");

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
      assertStoresRequireTheirPasswords(again, dataDir);
      assertThat(Files.readString(dataDir.resolve("jwt-secret")).trim())
          .as("the empty signing key file was replaced")
          .hasSizeGreaterThanOrEqualTo(32);
    }
  }

  private static void assertStoresRequireTheirPasswords(SkillQuestServer server, Path dataDir)
      throws Exception {
    var owner = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("postgres-password")))
        .isEqualTo(owner);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("redis-password"))).isEqualTo(owner);
    var pgPassword = Files.readString(dataDir.resolve("postgres-password")).trim();
    var redisPassword = Files.readString(dataDir.resolve("redis-password")).trim();
    assertThat(Files.readAllLines(dataDir.resolve("postgres").resolve("pg_hba.conf")))
        .filteredOn(l -> !l.startsWith("#"))
        .noneMatch(l -> l.contains("trust"));

    var stores = server.config().stores().external().orElseThrow();
    assertThatThrownBy(() -> DriverManager.getConnection(stores.dbUrl(), "postgres", "").close())
        .as("no password")
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(
            () -> DriverManager.getConnection(stores.dbUrl(), "postgres", "wrong-password").close())
        .isInstanceOf(SQLException.class);
    try (var c = DriverManager.getConnection(stores.dbUrl(), "postgres", pgPassword)) {
      assertThat(c.isValid(2)).isTrue();
    }

    var redisUri = URI.create(stores.redisUrl());
    try (var anonymous = new Jedis(redisUri.getHost(), redisUri.getPort())) {
      assertThatThrownBy(anonymous::ping).hasMessageContaining("NOAUTH");
    }
    try (var authed = new Jedis(redisUri.getHost(), redisUri.getPort())) {
      authed.auth(redisPassword);
      assertThat(authed.ping()).isEqualTo("PONG");
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
