package io.skillquest.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No cluster runs where we build, so deploy/k8s is kept honest against the code: every manifest
 * parses, every SKILLQUEST_* variable it sets is one the server or worker really reads (a renamed
 * variable fails here, not in someone's cluster), ports and probe paths are the ones the processes
 * serve, grace periods outlast the processes' own stop timeouts, and the Secret ships no value.
 */
class KubernetesManifestsIT {
  private static final Path ROOT = Path.of(System.getProperty("skillquest.repo.root", ".."));
  private static final Path K8S = ROOT.resolve("deploy/k8s");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VARIABLE = Pattern.compile("\"(SKILLQUEST_[A-Z0-9_]+)\"");

  private static final Map<String, JsonNode> objects = new HashMap<>();
  private static String mainSources;

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> files = Files.list(K8S)) {
      for (var file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
          if (doc == null) {
            continue;
          }
          JsonNode node = JSON.valueToTree(doc);
          var key = node.path("kind").asText() + "/" + node.path("metadata").path("name").asText();
          assertThat(objects.put(key, node)).as("%s defined twice", key).isNull();
        }
      }
    }
    mainSources = mainSources();
  }

  @Test
  void everyKindTheOperatorNeedsIsThereAndTheKustomizationListsEveryFile() throws IOException {
    assertThat(objects.keySet())
        .contains(
            "Deployment/skillquest-server",
            "Deployment/skillquest-worker",
            "Service/skillquest",
            "HorizontalPodAutoscaler/skillquest-server",
            "PodDisruptionBudget/skillquest-server",
            "PodDisruptionBudget/skillquest-worker",
            "ConfigMap/skillquest-config",
            "Secret/skillquest-secrets");
    var kustomization = objects.get("Kustomization/");
    assertThat(kustomization).as("kustomization.yaml").isNotNull();
    var listed = new TreeSet<String>();
    kustomization.get("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(K8S)) {
      var present =
          files
              .map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
              .toList();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
    }
  }

  @Test
  void everySkillQuestVariableSetIsOneTheCodeReads() {
    var read = new TreeSet<String>();
    Matcher m = VARIABLE.matcher(mainSources);
    while (m.find()) {
      read.add(m.group(1));
    }
    // sanity: the scan found the sources (a moved module must not make this test pass vacuously)
    assertThat(read).contains("SKILLQUEST_DB_URL", "SKILLQUEST_WORKER_METRICS_PORT");
    var set = new TreeSet<String>();
    set.addAll(names(objects.get("ConfigMap/skillquest-config").get("data")));
    set.addAll(names(objects.get("Secret/skillquest-secrets").get("stringData")));
    for (var deployment : List.of("skillquest-server", "skillquest-worker")) {
      for (var env : container(deployment).path("env")) {
        set.add(env.get("name").asText());
      }
    }
    assertThat(set).isNotEmpty().allMatch(name -> name.startsWith("SKILLQUEST_"));
    assertThat(read).as("variables the code reads").containsAll(set);
    // and the README documents each one the manifests set
    var readme = read(ROOT.resolve("README.md"));
    for (var name : set) {
      assertThat(readme).as("README configuration table").contains("`" + name + "`");
    }
  }

  @Test
  void serverAndWorkerGetEverySettingProductionRequires() {
    var required = new ArrayList<String>();
    var list =
        Pattern.compile("REQUIRED_IN_PRODUCTION\\s*=\\s*List\\.of\\(([^)]*)\\)")
            .matcher(mainSources);
    assertThat(list.find()).as("the server's list of settings production requires").isTrue();
    var names = VARIABLE.matcher(list.group(1));
    while (names.find()) {
      required.add(names.group(1));
    }
    assertThat(required).contains("SKILLQUEST_DB_URL", "SKILLQUEST_JWT_SECRET");
    assertThat(environment("skillquest-server")).containsKeys(required.toArray(String[]::new));
    assertThat(environment("skillquest-server"))
        .containsEntry("SKILLQUEST_ENV", "production")
        .containsEntry("SKILLQUEST_RUN_WORKER", "false");
    assertThat(environment("skillquest-worker"))
        .containsKeys(
            "SKILLQUEST_DB_URL",
            "SKILLQUEST_DB_USER",
            "SKILLQUEST_DB_PASSWORD",
            "SKILLQUEST_REDIS_URL",
            "SKILLQUEST_REDIS_PREFIX")
        .doesNotContainKey("SKILLQUEST_RUN_WORKER");
  }

  @Test
  void theSecretShipsNoValue() {
    var secret = objects.get("Secret/skillquest-secrets");
    assertThat(secret.has("data")).as("no base64 data block either").isFalse();
    secret
        .get("stringData")
        .properties()
        .forEach(e -> assertThat(e.getValue().asText()).as("value of %s", e.getKey()).isEmpty());
    assertThat(names(secret.get("stringData")))
        .contains("SKILLQUEST_DB_PASSWORD", "SKILLQUEST_JWT_SECRET", "SKILLQUEST_REDIS_URL");
  }

  @Test
  void serverPortsProbesAndServiceMatchWhatTheServerServes() {
    var server = container("skillquest-server");
    int port = server.get("ports").get(0).get("containerPort").asInt();
    String portName = server.get("ports").get(0).get("name").asText();
    assertThat(Integer.parseInt(environment("skillquest-server").get("SKILLQUEST_PORT")))
        .isEqualTo(port);
    assertThat(mainSources).as("the server routes /health").contains("get(\"/health\"");
    for (var probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      var get = server.path(probe).path("httpGet");
      assertThat(get.path("path").asText()).as(probe).isEqualTo("/health");
      assertThat(get.path("port").asText()).as(probe).isIn(portName, Integer.toString(port));
    }
    assertThat(server.get("args").get(0).asText()).isEqualTo("server");
    assertThat(read(ROOT.resolve("docker/entrypoint.sh"))).contains("server)", "worker)");

    var service = objects.get("Service/skillquest");
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isIn(portName, "" + port);
    assertThat(service.at("/spec/selector")).isEqualTo(podLabels("skillquest-server"));

    var hpa = objects.get("HorizontalPodAutoscaler/skillquest-server");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("skillquest-server");
    assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
    for (var pdb : List.of("skillquest-server", "skillquest-worker")) {
      assertThat(objects.get("PodDisruptionBudget/" + pdb).at("/spec/selector/matchLabels"))
          .as("PDB %s selects its pods", pdb)
          .isEqualTo(podLabels(pdb));
    }
  }

  @Test
  void workerExposesItsMetricsPortAndIsProbedThere() {
    var worker = container("skillquest-worker");
    assertThat(worker.get("args").get(0).asText()).isEqualTo("worker");
    int port = worker.get("ports").get(0).get("containerPort").asInt();
    assertThat(
            Integer.parseInt(
                environment("skillquest-worker").get("SKILLQUEST_WORKER_METRICS_PORT")))
        .isEqualTo(port);
    var probe = worker.path("livenessProbe").path("httpGet");
    assertThat(probe.path("path").asText()).isEqualTo("/metrics");
    assertThat(probe.path("port").asText())
        .isIn(worker.get("ports").get(0).get("name").asText(), Integer.toString(port));
    assertThat(deployment("skillquest-worker").at("/spec/template/metadata/annotations"))
        .as("Prometheus annotations")
        .isNotNull();
  }

  @Test
  void serverMetricsAreScrapedFromTheManagementPortWhichNoServiceExposes() {
    var env = environment("skillquest-server");
    int management = Integer.parseInt(env.get("SKILLQUEST_MANAGEMENT_PORT"));
    assertThat(management).isNotEqualTo(Integer.parseInt(env.get("SKILLQUEST_PORT")));
    var annotations = deployment("skillquest-server").at("/spec/template/metadata/annotations");
    assertThat(annotations.path("prometheus.io/port").asText())
        .isEqualTo(Integer.toString(management));
    // loopback (the default) is unreachable from Prometheus and the kubelet in a pod
    assertThat(env.get("SKILLQUEST_MANAGEMENT_BIND")).isEqualTo("0.0.0.0");
    assertThat(environment("skillquest-worker").get("SKILLQUEST_WORKER_METRICS_BIND"))
        .isEqualTo("0.0.0.0");
    assertThat(objects.get("Service/skillquest").at("/spec/ports").toString())
        .doesNotContain(Integer.toString(management))
        .doesNotContain("management");
  }

  @Test
  void gracePeriodsOutlastTheProcessesOwnStopTimeouts() {
    // the server lets requests in flight finish for STOP_TIMEOUT, after the preStop hook
    var stop =
        Pattern.compile("STOP_TIMEOUT\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)")
            .matcher(mainSources);
    assertThat(stop.find()).as("the server's STOP_TIMEOUT").isTrue();
    long serverStop = Long.parseLong(stop.group(1));
    long preStop = 0;
    var hook = container("skillquest-server").at("/lifecycle/preStop/exec/command");
    if (hook.isArray() && hook.get(0).asText().equals("sleep")) {
      preStop = hook.get(1).asLong();
    }
    assertThat(grace("skillquest-server"))
        .as("server grace vs preStop %d s + stop timeout %d s", preStop, serverStop)
        .isGreaterThan(preStop + serverStop);

    // the worker waits for its batch in hand, then for its upkeep jobs, each bounded
    var worker = read(source("Worker.java"));
    long drain = 0;
    var join = Pattern.compile("join\\(Duration\\.ofSeconds\\((\\d+)\\)").matcher(worker);
    assertThat(join.find()).as("Worker.close waits for the batch in hand").isTrue();
    drain += Long.parseLong(join.group(1));
    var upkeep =
        Pattern.compile("awaitTermination\\((\\d+), TimeUnit\\.SECONDS\\)").matcher(worker);
    assertThat(upkeep.find()).as("Worker.close waits for its upkeep jobs").isTrue();
    drain += Long.parseLong(upkeep.group(1));
    assertThat(grace("skillquest-worker"))
        .as("worker grace vs drain %d s", drain)
        .isGreaterThan(drain);
  }

  @Test
  void memoryLimitsLeaveRoomBeyondTheHeapTheImageSets() {
    var heap = Pattern.compile("-Xmx(\\d+)m").matcher(read(ROOT.resolve("Dockerfile")));
    assertThat(heap.find()).as("the image's -Xmx").isTrue();
    long heapMib = Long.parseLong(heap.group(1));
    for (var deployment : List.of("skillquest-server", "skillquest-worker")) {
      var resources = container(deployment).get("resources");
      long limit = mebibytes(resources.at("/limits/memory").asText());
      long request = mebibytes(resources.at("/requests/memory").asText());
      // the bench's peak RSS was 1.3-1.6x the heap (metaspace, threads, direct buffers)
      assertThat(limit).as("%s memory limit", deployment).isGreaterThanOrEqualTo(2 * heapMib);
      assertThat(request).as("%s memory request", deployment).isGreaterThan(heapMib);
      assertThat(request).isLessThanOrEqualTo(limit);
      assertThat(resources.at("/requests/cpu").isMissingNode()).isFalse();
    }
  }

  // --- helpers

  private static JsonNode deployment(String name) {
    var d = objects.get("Deployment/" + name);
    assertThat(d).as("Deployment %s", name).isNotNull();
    return d;
  }

  private static JsonNode container(String deployment) {
    var containers = deployment(deployment).at("/spec/template/spec/containers");
    assertThat(containers.size()).isEqualTo(1);
    return containers.get(0);
  }

  private static JsonNode podLabels(String deployment) {
    var labels = deployment(deployment).at("/spec/template/metadata/labels");
    assertThat(deployment(deployment).at("/spec/selector/matchLabels")).isEqualTo(labels);
    return labels;
  }

  private static long grace(String deployment) {
    var grace = deployment(deployment).at("/spec/template/spec/terminationGracePeriodSeconds");
    assertThat(grace.isNumber()).as("%s terminationGracePeriodSeconds", deployment).isTrue();
    return grace.asLong();
  }

  /** What the container's environment holds: its ConfigMap and Secret, then its own env. */
  private static Map<String, String> environment(String deployment) {
    var out = new HashMap<String, String>();
    var container = container(deployment);
    for (var from : container.path("envFrom")) {
      if (from.has("configMapRef")) {
        var cm = objects.get("ConfigMap/" + from.get("configMapRef").get("name").asText());
        assertThat(cm).as("ConfigMap referenced by %s", deployment).isNotNull();
        cm.get("data").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
      }
      if (from.has("secretRef")) {
        var secret = objects.get("Secret/" + from.get("secretRef").get("name").asText());
        assertThat(secret).as("Secret referenced by %s", deployment).isNotNull();
        secret
            .get("stringData")
            .properties()
            .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
      }
    }
    for (var env : container.path("env")) {
      out.put(env.get("name").asText(), env.path("value").asText());
    }
    return out;
  }

  private static Set<String> names(JsonNode map) {
    var out = new HashSet<String>();
    map.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static long mebibytes(String quantity) {
    if (quantity.endsWith("Gi")) {
      return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
    }
    assertThat(quantity).as("memory quantity").endsWith("Mi");
    return Long.parseLong(quantity.substring(0, quantity.length() - 2));
  }

  /** Every main Java source of every module, concatenated: where the variable names live. */
  private static String mainSources() throws IOException {
    var out = new StringBuilder();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (var module :
          modules.filter(m -> m.getFileName().toString().startsWith("skillquest-")).toList()) {
        var main = module.resolve("src/main/java");
        if (!Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(main)) {
          for (var f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            out.append(Files.readString(f)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  private static Path source(String fileName) {
    try (Stream<Path> modules = Files.list(ROOT)) {
      var found = new ArrayList<Path>();
      for (var module :
          modules.filter(m -> m.getFileName().toString().startsWith("skillquest-")).toList()) {
        var main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          try (Stream<Path> files = Files.walk(main)) {
            files.filter(p -> p.getFileName().toString().equals(fileName)).forEach(found::add);
          }
        }
      }
      assertThat(found).as("main source %s", fileName).hasSize(1);
      return found.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
