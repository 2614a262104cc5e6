package io.skillquest.worker;

import io.skillquest.store.events.WebhookSettings;
import io.skillquest.store.events.WebhookTargets;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends one webhook delivery: a POST of the event JSON, signed with {@code SkillQuest-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}. Any 2xx is success. Redirects
 * are never followed (a 3xx is a failure), and at most {@link #BODY_CAP} bytes of the answer are
 * read and thrown away. The client resolves hosts through the SSRF guard ({@link
 * CheckedAddressResolver}) and connects to the very addresses it checked, since DNS may have
 * changed since the admin saved the URL, or may change between a check and a connection.
 */
final class WebhookSender implements AutoCloseable {

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
    this.client = new HttpClient();
    var threads = new QueuedThreadPool(16, 2);
    threads.setName("skillquest-webhooks");
    client.setExecutor(threads);
    client.setFollowRedirects(false);
    client.setConnectTimeout(settings.timeout().toMillis());
    client.setSocketAddressResolver(new CheckedAddressResolver(settings.allowPrivate()));
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "SkillQuest-Webhooks/1"));
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the webhook HTTP client", e);
    }
  }

  Result send(String url, String secret, long eventId, String eventType, String body) {
    long start = System.nanoTime();
    URI uri;
    try {
      uri = WebhookTargets.parse(url);
    } catch (WebhookTargets.Refused e) {
      return new Result(null, "url refused: " + e.getMessage(), 0);
    }
    long t = clock.instant().getEpochSecond();
    long timeoutMs = settings.timeout().toMillis();
    var answer = new InputStreamResponseListener();
    client
        .newRequest(uri)
        .method(HttpMethod.POST)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .headers(
            h ->
                h.put("SkillQuest-Event-Id", Long.toString(eventId))
                    .put("SkillQuest-Event-Type", eventType)
                    .put("SkillQuest-Signature", signature(secret, t, body)))
        .body(new BytesRequestContent("application/json", body.getBytes(StandardCharsets.UTF_8)))
        .send(answer);
    try {
      Response response = answer.get(timeoutMs, TimeUnit.MILLISECONDS);
      try (InputStream in = answer.getInputStream()) {
        in.readNBytes(BODY_CAP);
      }
      int code = response.getStatus();
      return new Result(
          code, code >= 200 && code < 300 ? null : "answered HTTP " + code, millisSince(start));
    } catch (ExecutionException e) {
      return failed(e.getCause(), start);
    } catch (TimeoutException | IOException e) {
      return failed(e, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted (worker stopping)", millisSince(start));
    }
  }

  private Result failed(Throwable e, long start) {
    if (e instanceof WebhookTargets.Refused) {
      return new Result(null, "url refused: " + e.getMessage(), millisSince(start));
    }
    if (e instanceof TimeoutException) {
      return new Result(
          null, "timed out after " + settings.timeout().toSeconds() + " s", millisSince(start));
    }
    return new Result(null, describe(e), millisSince(start));
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the webhook HTTP client", e);
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

  private static String describe(Throwable e) {
    var m = e.getMessage();
    var text = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    return text.length() <= 500 ? text : text.substring(0, 500);
  }
}
