package io.skillquest.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.HostAndPort;

/**
 * What {@code SKILLQUEST_REDIS_URL} names: one Redis server, a Redis Cluster, or a Sentinel group.
 *
 * <ul>
 *   <li>{@code redis://[user:password@]host[:port][/db]} and {@code rediss://...} (TLS): one server
 *       (a primary, or a proxy in front of several);
 *   <li>{@code redis-cluster://[user:password@]host:port,host:port[,...]} and {@code
 *       rediss-cluster://...}: any reachable nodes of a cluster (seeds; the client learns the
 *       rest);
 *   <li>{@code redis-sentinel://[user:password@]host:port,host:port[,...]/master-name} and {@code
 *       rediss-sentinel://...}: the sentinels watching a master group; the client follows failover.
 *       The credentials are the master's (and its replicas'); sentinels are asked without any,
 *       unless {@code ?sentinel-password=...} (and {@code &sentinel-user=...}) follow the name.
 * </ul>
 *
 * Parsing never quotes the password back in an error.
 *
 * @param kind which of the three
 * @param tls TLS to Redis ({@code rediss...})
 * @param nodes cluster seeds or sentinels; empty for {@link Kind#SERVER}
 * @param user ACL user, null for the default user
 * @param password null for none
 * @param masterName the sentinel master group, null unless {@link Kind#SENTINEL}
 * @param sentinelUser ACL user for the sentinels, null for the default user
 * @param sentinelPassword the sentinels' password, null for none
 * @param serverUri the URL itself for {@link Kind#SERVER}, null otherwise
 */
public record RedisUrl(
    Kind kind,
    boolean tls,
    List<HostAndPort> nodes,
    String user,
    String password,
    String masterName,
    String sentinelUser,
    String sentinelPassword,
    URI serverUri) {

  /** The three deployments a URL can name. */
  public enum Kind {
    SERVER,
    CLUSTER,
    SENTINEL
  }

  private static final int CLUSTER_DEFAULT_PORT = 6379;
  private static final int SENTINEL_DEFAULT_PORT = 26379;

  public RedisUrl {
    nodes = List.copyOf(nodes);
  }

  /**
   * Parses and checks a URL.
   *
   * @throws IllegalArgumentException saying what is wrong (never quoting the password)
   */
  public static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    int colon = url.indexOf("://");
    String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "redis", "rediss" -> server(url);
      case "redis-cluster", "rediss-cluster" ->
          nodes(Kind.CLUSTER, scheme.startsWith("rediss"), url.substring(colon + 3));
      case "redis-sentinel", "rediss-sentinel" ->
          nodes(Kind.SENTINEL, scheme.startsWith("rediss"), url.substring(colon + 3));
      default ->
          throw new IllegalArgumentException(
              "must start with redis://, rediss://, redis-cluster://, rediss-cluster://,"
                  + " redis-sentinel:// or rediss-sentinel://");
    };
  }

  private static RedisUrl server(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "is not a valid URL like redis://host:6379 (at character " + e.getIndex() + ")");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "names no host; expected redis://host:6379"
              + (uri.getRawAuthority() != null && uri.getRawAuthority().contains(",")
                  ? " (several hosts need redis-cluster:// or redis-sentinel://)"
                  : ""));
    }
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/\\d+")) {
      throw new IllegalArgumentException("path must be a database number, like redis://host/0");
    }
    return new RedisUrl(
        Kind.SERVER, url.startsWith("rediss"), List.of(), null, null, null, null, null, uri);
  }

  private static RedisUrl nodes(Kind kind, boolean tls, String rest) {
    int end = indexOfAny(rest, "/?#");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String tail = end < 0 ? "" : rest.substring(end);
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String info = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int sep = info.indexOf(':');
      String rawUser = sep < 0 ? info : info.substring(0, sep);
      user = rawUser.isEmpty() ? null : decode(rawUser, "user");
      password = sep < 0 ? null : decode(info.substring(sep + 1), "password");
    }
    int defaultPort = kind == Kind.CLUSTER ? CLUSTER_DEFAULT_PORT : SENTINEL_DEFAULT_PORT;
    var nodes = new ArrayList<HostAndPort>();
    for (String node : authority.split(",", -1)) {
      nodes.add(hostAndPort(node.trim(), defaultPort));
    }
    String master = null;
    String sentinelUser = null;
    String sentinelPassword = null;
    if (kind == Kind.SENTINEL) {
      int query = tail.indexOf('?');
      String path = query < 0 ? tail : tail.substring(0, query);
      if (!path.startsWith("/") || path.length() == 1 || path.indexOf('#') >= 0) {
        throw new IllegalArgumentException(
            "must end with the master group's name, like redis-sentinel://host:26379/mymaster");
      }
      master = decode(path.substring(1), "master name");
      if (master.contains("/")) {
        throw new IllegalArgumentException("master name may not contain '/'");
      }
      for (String param : query < 0 ? new String[0] : tail.substring(query + 1).split("&")) {
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq);
        String value = eq < 0 ? "" : decode(param.substring(eq + 1), name);
        switch (name) {
          case "sentinel-password" -> sentinelPassword = value;
          case "sentinel-user" -> sentinelUser = value.isEmpty() ? null : value;
          default ->
              throw new IllegalArgumentException(
                  "knows only the options sentinel-password and sentinel-user, not '" + name + "'");
        }
      }
    } else if (!tail.isEmpty() && !tail.equals("/")) {
      throw new IllegalArgumentException(
          "a cluster URL takes no database or options: redis-cluster://host:port,host:port");
    }
    return new RedisUrl(
        kind, tls, nodes, user, password, master, sentinelUser, sentinelPassword, null);
  }

  private static HostAndPort hostAndPort(String node, int defaultPort) {
    if (node.isEmpty()) {
      throw new IllegalArgumentException("has an empty host in its host:port list");
    }
    String host;
    String port;
    if (node.startsWith("[")) {
      int close = node.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("has an unclosed IPv6 address: " + node);
      }
      host = node.substring(1, close);
      String after = node.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw new IllegalArgumentException("has a malformed host: " + node);
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else {
      int sep = node.indexOf(':');
      host = sep < 0 ? node : node.substring(0, sep);
      port = sep < 0 ? null : node.substring(sep + 1);
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException("has a malformed host: " + node);
    }
    if (port == null) {
      return new HostAndPort(host, defaultPort);
    }
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return new HostAndPort(host, p);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("has a port that is not 1-65535: " + node);
  }

  private static String decode(String raw, String what) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("has a malformed percent-escape in its " + what);
    }
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return switch (kind) {
      case SERVER ->
          serverUri.getUserInfo() == null
              ? serverUri.toString()
              : serverUri.toString().replaceFirst("//[^@/]*@", "//***@");
      case CLUSTER, SENTINEL ->
          (tls ? "rediss-" : "redis-")
              + kind.name().toLowerCase(Locale.ROOT)
              + "://"
              + (user != null || password != null ? "***@" : "")
              + String.join(",", nodes.stream().map(HostAndPort::toString).toList())
              + (masterName == null ? "" : "/" + masterName);
    };
  }
}
