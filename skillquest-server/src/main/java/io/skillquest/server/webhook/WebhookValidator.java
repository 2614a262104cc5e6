package io.skillquest.server.webhook;

import io.skillquest.server.http.Problem;
import io.skillquest.store.events.EventTypes;
import io.skillquest.store.events.WebhookTargets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an endpoint's fields: the URL through the SSRF guard (resolved now; the worker checks
 * again before each delivery), the event types against the known ones.
 */
final class WebhookValidator {
  private final boolean allowPrivate;

  WebhookValidator(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  WebhookFields forCreate(WebhookFields f) {
    var errors = new LinkedHashMap<String, String>();
    if (f.url() == null) {
      errors.put("url", "is required");
    }
    if (f.events() == null) {
      errors.put("events", "is required: a list of event types");
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return check(f, Set.of("url", "events", "enabled"));
  }

  WebhookFields forUpdate(WebhookFields f, Set<String> present) {
    var errors = new LinkedHashMap<String, String>();
    for (var field : present) {
      boolean isNull =
          switch (field) {
            case "url" -> f.url() == null;
            case "events" -> f.events() == null;
            case "enabled" -> f.enabled() == null;
            default -> false;
          };
      if (isNull) {
        errors.put(field, "must not be null");
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return check(f, present);
  }

  private WebhookFields check(WebhookFields f, Set<String> present) {
    var errors = new LinkedHashMap<String, String>();
    String url = null;
    if (present.contains("url")) {
      try {
        WebhookTargets.check(f.url(), allowPrivate);
        url = f.url().trim();
      } catch (WebhookTargets.Refused e) {
        errors.put("url", e.getMessage());
      }
    }
    List<String> events = null;
    if (present.contains("events")) {
      var distinct = new LinkedHashSet<String>();
      for (var type : f.events()) {
        if (type == null || !EventTypes.ALL.contains(type)) {
          errors.put("events", "must name event types among " + EventTypes.ALL);
        }
        distinct.add(type);
      }
      if (distinct.isEmpty()) {
        errors.put("events", "must name at least one event type among " + EventTypes.ALL);
      }
      events = List.copyOf(distinct.stream().filter(t -> t != null).toList());
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new WebhookFields(url, events, present.contains("enabled") ? f.enabled() : null);
  }
}
