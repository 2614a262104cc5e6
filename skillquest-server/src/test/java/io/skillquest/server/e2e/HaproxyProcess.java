package io.skillquest.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's haproxy as a child process, in front of the given backends on 127.0.0.1, with a
 * configuration written for this run only.
 *
 * <p>The balancer is configured the way an operator should run SkillQuest behind one: health checks
 * on {@code /health}; a request whose connection to a backend fails (the backend is dead, and no
 * byte of the request reached it) is retried on another backend; a request that did reach a backend
 * which then died is retried only when it is a GET, because replaying a POST (start an attempt,
 * register) could do it twice: its client gets a 502 or, when it was not the first request on a
 * keep-alive connection, sees haproxy (2.6) close the connection without an answer, which HTTP lets
 * a client retry only for idempotent requests. {@code X-Forwarded-For} is set by the balancer
 * alone, so a client cannot pick the address the per-IP rate limit counts.
 *
 * <p>For the test, a request may pin its backend with {@code X-SkillQuest-Instance: <name>}, and
 * every answer names the backend that served it in {@code X-Served-By}.
 */
final class HaproxyProcess implements AutoCloseable {
  static final String PIN_HEADER = "X-SkillQuest-Instance";
  static final String SERVED_BY_HEADER = "X-Served-By";

  private final Process process;
  private final Path log;

  private HaproxyProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param backends backend name to its port on 127.0.0.1, in balancing order
   */
  static HaproxyProcess start(int port, Map<String, Integer> backends, Path dir)
      throws IOException {
    var binary = binary();
    var config = dir.resolve("haproxy.cfg");
    Files.writeString(config, config(port, new LinkedHashMap<>(backends)));
    var log = dir.resolve("haproxy.log");
    var check =
        new ProcessBuilder(binary, "-c", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy-check.log").toFile())
            .start();
    try {
      if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
        throw new IllegalStateException(
            "haproxy rejects the generated configuration:\n"
                + Files.readString(dir.resolve("haproxy-check.log")));
      }
    } catch (InterruptedException e) {
      check.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    // -db: stay in the foreground, so this process is haproxy itself and dies with destroy()
    var process =
        new ProcessBuilder(binary, "-db", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new HaproxyProcess(process, log);
  }

  static String config(int port, Map<String, Integer> backends) {
    var servers = new StringBuilder();
    var pins = new StringBuilder();
    backends.forEach(
        (name, backendPort) -> {
          servers.append("  server ").append(name).append(" 127.0.0.1:").append(backendPort);
          servers.append(" check\n");
          pins.append("  use-server ").append(name);
          pins.append(" if { req.hdr(" + PIN_HEADER + ") -m str ").append(name).append(" }\n");
        });
    return """
        global
          maxconn 512
          log stdout format raw local0 info

        defaults
          mode http
          log global
          option httplog
          timeout connect 500ms
          timeout client 60s
          timeout server 15s
          timeout http-keep-alive 60s
          timeout check 2s
          # a dead backend is skipped: retry elsewhere, not on the same server
          retries 3
          option redispatch 1
          retry-on conn-failure empty-response response-timeout

        frontend skillquest
          bind 127.0.0.1:%d
          http-request del-header X-Forwarded-For
          option forwardfor
          default_backend servers

        backend servers
          balance roundrobin
          option httpchk GET /health
          http-check expect status 200
          default-server inter 300ms fastinter 200ms downinter 500ms fall 2 rise 2
          # a request that reached a backend is replayed only when replaying it changes nothing
          http-request disable-l7-retry unless METH_GET
        %s  http-response set-header %s %%[srv_name]
        %s"""
        .formatted(port, pins, SERVED_BY_HEADER, servers);
  }

  private static String binary() {
    for (var candidate : new String[] {"/usr/sbin/haproxy", "/usr/local/sbin/haproxy"}) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "haproxy is not installed: `apt-get install haproxy` (.ci/run installs it)");
  }

  boolean alive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
