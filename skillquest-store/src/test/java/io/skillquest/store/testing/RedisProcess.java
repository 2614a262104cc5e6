package io.skillquest.store.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

/**
 * One {@code redis-server} process started from the binary the embedded mode uses (shipped in the
 * codemonstur embedded-redis jar), for the cluster and sentinel fixtures: real servers, configured
 * on the command line, in a directory of their own, killed when the JVM exits.
 */
public final class RedisProcess implements AutoCloseable {

  private static File binary;

  public final int port;
  private final List<String> args;
  private final Path dir;
  private final String password;
  private Process process;

  /**
   * @param dir working directory (cluster state, sentinel config, log)
   * @param port the port to listen on (127.0.0.1)
   * @param args further arguments, e.g. {@code --cluster-enabled yes}; a first argument ending in
   *     {@code .conf} is the config file
   */
  public RedisProcess(Path dir, int port, List<String> args) {
    this(dir, port, args, null);
  }

  /** Also with {@code requirepass}; {@link #client()} then authenticates. */
  public RedisProcess(Path dir, int port, List<String> args, String password) {
    this.dir = dir;
    this.port = port;
    this.args = List.copyOf(args);
    this.password = password;
  }

  /** Starts the process and waits until it answers PING. */
  public synchronized RedisProcess start() {
    var command = new ArrayList<String>();
    command.add(binary().getAbsolutePath());
    int rest = 0;
    if (!args.isEmpty() && args.get(0).endsWith(".conf")) {
      command.add(args.get(0));
      rest = 1;
    }
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString()));
    command.addAll(args.subList(rest, args.size()));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "redis-" + port + "-stop"));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try (var j = client()) {
        j.ping();
        return this;
      } catch (RuntimeException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "redis-server on port " + port + " did not start: " + log(), e);
        }
        pause(50);
      }
    }
  }

  /** Kills the process at once (a crash, not a shutdown). */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** A client to this node alone. */
  public Jedis client() {
    var jedis = new Jedis("127.0.0.1", port, 2_000);
    if (password != null) {
      jedis.auth(password);
    }
    return jedis;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis-" + port + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** The embedded mode's redis-server, extracted once per JVM. */
  static synchronized File binary() {
    if (binary == null) {
      try {
        binary = ExecutableProvider.newJarResourceProvider().get();
      } catch (IOException e) {
        throw new UncheckedIOException("could not extract the embedded redis-server", e);
      }
      binary.setExecutable(true);
    }
    return binary;
  }

  static Path tempDir(String name) {
    try {
      var dir = Files.createTempDirectory(name);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), name + "-cleanup"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // the JVM is exiting; a leftover temp directory is harmless
    }
  }

  static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A cluster node also listens on its port plus this: the cluster bus. */
  private static final int BUS_OFFSET = 10_000;

  /**
   * A port for a cluster node, whose bus port (this plus 10,000) must be free too. Both are taken
   * below the kernel's ephemeral range: a port the OS hands out for {@link #freePort} can have its
   * bus port taken meanwhile by any outgoing connection's local end.
   */
  static int freeClusterPort() {
    int ephemeral = ephemeralPortsFrom();
    for (int tries = 0; tries < 500; tries++) {
      int port = ThreadLocalRandom.current().nextInt(1024, ephemeral - BUS_OFFSET);
      if (bindable(port) && bindable(port + BUS_OFFSET)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port pair for a Redis Cluster node below " + ephemeral);
  }

  private static boolean bindable(int port) {
    try (var socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of Linux's ephemeral range, or its usual start elsewhere. */
  private static int ephemeralPortsFrom() {
    try {
      var range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int from = Integer.parseInt(range.split("\\s+")[0]);
      return from > 1024 + BUS_OFFSET ? from : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
