package io.skillquest.server.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per admin action, on its own logger so operators can route it to an audit sink. */
public final class Audit {
  private static final Logger log = LoggerFactory.getLogger("io.skillquest.audit");

  private Audit() {}

  /**
   * Records who did what to which target, e.g. {@code record(ctx, "challenge.create",
   * "challenge:42")}.
   */
  public static void record(Context ctx, String action, String target) {
    var who = Auth.optionalPrincipal(ctx);
    log.info(
        "audit action={} target={} actor_id={} actor={} ip={}",
        action,
        target,
        who.map(Principal::userId).orElse(0L),
        who.map(Principal::username).orElse("-"),
        ctx.ip());
  }
}
