package io.skillquest.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs where we build, so the container files are kept honest here: the compose
 * file parses and wires what README promises, and the Dockerfile ships the jars the build really
 * produces.
 */
class DeploymentFilesIT {
  private static final Path ROOT = Path.of(System.getProperty("skillquest.repo.root", ".."));

  @Test
  void composeRunsPostgres16Redis7ServerAndWorkerWithHealthChecksAndVolumes() throws Exception {
    // SnakeYAML resolves the anchors compose uses to share one environment; Jackson's tree model
    // does not
    Object yaml = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    JsonNode compose = new ObjectMapper().valueToTree(yaml);
    var services = compose.get("services");
    assertThat(services.get("postgres").get("image").asText()).isEqualTo("postgres:16");
    assertThat(services.get("redis").get("image").asText()).isEqualTo("redis:7");
    for (var name : new String[] {"postgres", "redis", "server", "worker"}) {
      assertThat(services.get(name).get("healthcheck")).as("%s healthcheck", name).isNotNull();
    }
    assertThat(services.get("server").get("command").get(0).asText()).isEqualTo("server");
    assertThat(services.get("worker").get("command").get(0).asText()).isEqualTo("worker");
    var env = services.get("worker").get("environment");
    assertThat(env.get("SKILLQUEST_DB_URL").asText())
        .startsWith("jdbc:postgresql://postgres:5432/");
    assertThat(env.get("SKILLQUEST_REDIS_URL").asText()).isEqualTo("redis://redis:6379");
    assertThat(compose.get("volumes").has("pgdata")).isTrue();
    assertThat(compose.get("volumes").has("redisdata")).isTrue();
  }

  @Test
  void dockerfileCopiesTheJarsTheBuildProducesAndRunsAsNonRoot() throws Exception {
    var dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    var copied = new ArrayList<String>();
    var copy = Pattern.compile("COPY --from=build /src/(\\S+\\.jar) ").matcher(dockerfile);
    while (copy.find()) {
      copied.add(copy.group(1));
    }
    assertThat(copied)
        .containsExactlyInAnyOrder(
            "skillquest-server/target/skillquest-server.jar",
            "skillquest-worker/target/skillquest-worker.jar");
    for (var jar : copied) {
      assertThat(ROOT.resolve(jar)).as("built by `mvn package`").isRegularFile();
    }
    // the build stage builds what `mvn -DskipTests package` builds: every module it packages
    var modules =
        Pattern.compile("<module>(skillquest-[a-z]+)</module>")
            .matcher(Files.readString(ROOT.resolve("pom.xml").toAbsolutePath().normalize()))
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(modules).contains("skillquest-core", "skillquest-store");
    for (var module : modules) {
      if (module.equals("skillquest-contract-tests")) {
        continue; // a test-only module: not in the packaging build (its profile needs tests on)
      }
      assertThat(dockerfile)
          .as("the Dockerfile's build stage copies " + module)
          .contains("COPY " + module + "/pom.xml " + module + "/")
          .contains("COPY " + module + "/src " + module + "/src");
    }
    assertThat(dockerfile)
        .containsPattern("(?m)^USER skillquest$")
        .containsPattern("(?m)^HEALTHCHECK ");
    var entrypoint = Files.readString(ROOT.resolve("docker/entrypoint.sh"));
    for (var jar : copied) {
      assertThat(entrypoint).contains("/app/" + Path.of(jar).getFileName());
    }
    for (var script : new String[] {"docker/entrypoint.sh", "docker/healthcheck.sh"}) {
      assertThat(dockerfile).contains(Path.of(script).getFileName().toString());
      assertThat(Files.isExecutable(ROOT.resolve(script))).as(script).isTrue();
    }
  }
}
