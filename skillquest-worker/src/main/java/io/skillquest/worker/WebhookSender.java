package io.skillquest.worker;

import io.skillquest.store.events.WebhookSettings;
import io.skillquest.store.events.WebhookTargets;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one webhook delivery: a POST of the event JSON, signed with {@code SkillQuest-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}. Any 2xx is success. Redirects
 * are never followed (a 3xx is a failure), at most {@link #BODY_CAP} bytes of the answer are read
 * and thrown away, and the URL passes the SSRF guard again first, since DNS may have changed since
 * the admin saved it. The client then connects to the name just checked, which the JVM's DNS cache
 * (30 s) answers with the addresses the guard saw.
 */
final class WebhookSender {

  static final int BODY_CAP = 4096;

  /** What one try did: an HTTP status, or an error before any. */
  record Result(Integer statusCode, String error, long durationMs) {
    boolean ok() {
      return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
  }

  private final WebhookSettings settings;
  private final HttpClient client;
  private final Clock clock;

  WebhookSender(WebhookSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  Result send(String url, String secret, long eventId, String eventType, String body) {
    long start = System.nanoTime();
    URI uri;
    try {
      uri = WebhookTargets.parse(url);
      WebhookTargets.check(uri, settings.allowPrivate());
    } catch (WebhookTargets.Refused e) {
      return new Result(null, "url refused: " + e.getMessage(), 0);
    }
    long t = clock.instant().getEpochSecond();
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "SkillQuest-Webhooks/1")
            .header("SkillQuest-Event-Id", Long.toString(eventId))
            .header("SkillQuest-Event-Type", eventType)
            .header("SkillQuest-Signature", signature(secret, t, body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        in.readNBytes(BODY_CAP);
      }
      int code = response.statusCode();
      return new Result(
          code, code >= 200 && code < 300 ? null : "answered HTTP " + code, millisSince(start));
    } catch (HttpTimeoutException e) {
      return new Result(
          null, "timed out after " + settings.timeout().toSeconds() + " s", millisSince(start));
    } catch (IOException e) {
      return new Result(null, describe(e), millisSince(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted (worker stopping)", millisSince(start));
    }
  }

  /** {@code t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, the key being the secret's UTF-8. */
  static String signature(String secret, long t, String body) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static String describe(IOException e) {
    var m = e.getMessage();
    var text = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    return text.length() <= 500 ? text : text.substring(0, 500);
  }
}
