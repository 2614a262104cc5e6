package io.skillquest.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.skillquest.server.http.Problem;
import io.skillquest.server.http.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser app: {@code /} is its page and {@code /web/...} its static files (classpath {@code
 * web/}), so the app ships inside the jar and needs no network beyond this server. It talks to the
 * public {@code /api/v1} routes only, exactly as curl would.
 *
 * <p>Every response carries a Content-Security-Policy that allows scripts, styles and requests from
 * this origin only (no inline script, no foreign host), so an injected string can never run code.
 * The static files also answer {@code Access-Control-Allow-Origin: *}: they are public, and module
 * scripts are fetched in CORS mode, which the embeddable leaderboard on another site needs.
 */
public final class WebApp {
  /** The paths this class registers (they are pages and files, not API operations). */
  public static final String INDEX = "/";

  public static final String FILES = "/web/<file>";

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private static final String ROOT = "web/";
  // lower-case names and folders only: no "..", no encoded separators, nothing outside web/
  private static final Pattern SAFE_PATH = Pattern.compile("([a-z0-9_-]+/)*[a-z0-9_-]+\\.[a-z]+");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json",
          "png", "image/png");

  private record Asset(byte[] bytes, String type, String etag) {}

  // only files that exist are kept, so the map is bounded by the jar's contents
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  /** Registers the page and file routes. */
  public static void mount(RoutesConfig routes) {
    var web = new WebApp();
    routes.get(INDEX, web::index, Role.PUBLIC);
    routes.get(FILES, web::file, Role.PUBLIC);
  }

  private void index(Context ctx) {
    serve(ctx, "index.html");
  }

  private void file(Context ctx) {
    var file = ctx.pathParam("file");
    if (!SAFE_PATH.matcher(file).matches()) {
      throw Problem.notFound("no such file: " + file);
    }
    // public files any host page may load (the embeddable leaderboard)
    ctx.header("Access-Control-Allow-Origin", "*");
    serve(ctx, file);
  }

  private void serve(Context ctx, String file) {
    var asset = cache.get(file);
    if (asset == null) {
      asset = load(file).orElseThrow(() -> Problem.notFound("no such file: " + file));
      cache.put(file, asset);
    }
    ctx.header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        // not fingerprinted, so a browser revalidates each time; the ETag keeps that a 304
        .header("Cache-Control", "no-cache")
        .header("ETag", asset.etag());
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(HttpStatus.NOT_MODIFIED);
      return;
    }
    ctx.contentType(asset.type()).result(asset.bytes());
  }

  private static Optional<Asset> load(String file) {
    var ext = file.substring(file.lastIndexOf('.') + 1);
    var type = TYPES.get(ext);
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = WebApp.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        return Optional.empty();
      }
      var bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
