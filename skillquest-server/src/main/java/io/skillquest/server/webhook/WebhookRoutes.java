package io.skillquest.server.webhook;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.skillquest.server.http.AdminWrites;
import io.skillquest.server.http.Audit;
import io.skillquest.server.http.Bodies;
import io.skillquest.server.http.Params;
import io.skillquest.server.http.Role;
import io.skillquest.server.http.Services;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * /api/v1/admin/webhooks: endpoints the worker posts events to, and their delivery log. The signing
 * secret is generated here and shown once, in the answer to the create.
 */
public final class WebhookRoutes implements EndpointGroup {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int DEFAULT_DELIVERIES = 100;

  private final WebhookDao webhooks;
  private final WebhookValidator validator;
  private final ObjectMapper json;

  public WebhookRoutes(Services services) {
    this.webhooks = new WebhookDao(services.jdbi());
    this.validator = new WebhookValidator(services.config().webhooks().allowPrivate());
    this.json = services.json();
  }

  @Override
  public void addEndpoints() {
    get(this::list, Role.ADMIN);
    post(this::create, Role.ADMIN);
    path(
        "{id}",
        () -> {
          get(this::show, Role.ADMIN);
          patch(this::update, Role.ADMIN);
          delete(this::remove, Role.ADMIN);
          get("deliveries", this::deliveries, Role.ADMIN);
          post("deliveries/{delivery_id}/resend", this::resend, Role.ADMIN);
        });
  }

  void list(Context ctx) {
    ctx.json(webhooks.list());
  }

  void show(Context ctx) {
    long id = Params.id(ctx, "id");
    ctx.json(webhooks.find(id).orElseThrow(() -> AdminWrites.notFound("webhook", id)));
  }

  void create(Context ctx) {
    var fields = validator.forCreate(Bodies.json(ctx, WebhookFields.class));
    String secret = secret();
    var w =
        webhooks.insert(
            fields.url(), fields.events(), secret, fields.enabled() == null || fields.enabled());
    Audit.record(ctx, "webhook.create", "webhook:" + w.id());
    ctx.status(201)
        .header("Location", "/api/v1/admin/webhooks/" + w.id())
        .json(new CreatedWebhook(w.id(), w.url(), w.events(), w.enabled(), secret, w.createdAt()));
  }

  void update(Context ctx) throws Exception {
    long id = Params.id(ctx, "id");
    var body = Bodies.patch(ctx, WebhookFields.class, json);
    var f = validator.forUpdate(body.fields(), body.present());
    AdminWrites.updated(ctx, "webhook", id, webhooks.update(id, f.url(), f.events(), f.enabled()));
  }

  void remove(Context ctx) {
    long id = Params.id(ctx, "id");
    AdminWrites.deleted(ctx, "webhook", id, webhooks.delete(id));
  }

  void deliveries(Context ctx) {
    long id = Params.id(ctx, "id");
    int limit = Params.queryInt(ctx, "limit", DEFAULT_DELIVERIES, 1, 1000);
    webhooks.find(id).orElseThrow(() -> AdminWrites.notFound("webhook", id));
    ctx.json(webhooks.deliveries(id, limit));
  }

  void resend(Context ctx) {
    long id = Params.id(ctx, "id");
    long deliveryId = Params.id(ctx, "delivery_id");
    var delivery =
        webhooks
            .resend(id, deliveryId)
            .orElseThrow(() -> AdminWrites.notFound("delivery of webhook " + id, deliveryId));
    Audit.record(ctx, "webhook.resend", "webhook:" + id + "/delivery:" + deliveryId);
    ctx.status(202).json(delivery);
  }

  /** 32 random bytes; used as the HMAC key exactly as this string. */
  private static String secret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
