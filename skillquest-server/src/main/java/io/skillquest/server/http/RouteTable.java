package io.skillquest.server.http;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which methods each path answers, so a wrong method on a known path is a 405 naming the right ones
 * in {@code Allow} (and an OPTIONS or CORS preflight can list them) instead of a 404.
 */
public final class RouteTable {
  private record Entry(String method, List<String> segments) {}

  private final List<Entry> entries = new CopyOnWriteArrayList<>();

  /** Records a route, e.g. {@code add("GET", "/api/v1/challenges/{id}")}. */
  public void add(String method, String pathTemplate) {
    entries.add(new Entry(method, segments(pathTemplate)));
  }

  /**
   * The methods {@code path} answers, HEAD with GET and OPTIONS with any; empty for an unknown
   * path.
   */
  public Set<String> methods(String path) {
    var request = segments(path);
    var methods = new TreeSet<String>();
    for (var e : entries) {
      if (matches(e.segments(), request)) {
        methods.add(e.method());
      }
    }
    if (methods.contains("GET")) {
      methods.add("HEAD");
    }
    if (!methods.isEmpty()) {
      methods.add("OPTIONS");
    }
    return methods;
  }

  private static boolean matches(List<String> template, List<String> request) {
    int last = template.size() - 1;
    // a trailing <param> takes the rest of the path, slashes included
    boolean rest = template.get(last).startsWith("<");
    if (rest ? request.size() < template.size() : template.size() != request.size()) {
      return false;
    }
    for (int i = 0; i < template.size(); i++) {
      var t = template.get(i);
      boolean parameter = t.startsWith("{") || t.startsWith("<");
      if (!(parameter ? !request.get(i).isEmpty() : t.equals(request.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> segments(String path) {
    return List.of(path.replaceAll("^/+|/+$", "").split("/+", -1));
  }
}
