package io.skillquest.server.badge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.badge.Conditions;
import io.skillquest.core.badge.InvalidConditionException;
import io.skillquest.server.http.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field rules of a badge. Conditions are parsed by core, so a bad one is refused here, never at
 * evaluation.
 */
final class BadgeValidator {
  static final int MAX_NAME = 100;
  static final int MAX_DESCRIPTION = 2_000;
  static final int MAX_ICON_URL = 2_000;

  private final ObjectMapper json;

  BadgeValidator(ObjectMapper json) {
    this.json = json;
  }

  BadgeChanges forCreate(BadgeFields f) {
    var errors = new LinkedHashMap<String, String>();
    if (f.name() == null) {
      errors.put("name", "is required");
    }
    if (f.condition() == null || f.condition().isNull()) {
      errors.put("condition", "is required");
    }
    var c =
        new BadgeChanges(
            name(f.name(), errors),
            f.description() == null ? "" : description(f.description(), errors),
            condition(f.condition(), errors),
            iconUrl(f.iconUrl(), errors),
            true);
    return checked(c, errors);
  }

  BadgeChanges forUpdate(BadgeFields f, Set<String> present) {
    var errors = new LinkedHashMap<String, String>();
    for (var field : List.of("name", "description", "condition")) {
      if (present.contains(field) && isNull(f, field)) {
        errors.put(field, "must not be null");
      }
    }
    var c =
        new BadgeChanges(
            name(f.name(), errors),
            description(f.description(), errors),
            condition(f.condition(), errors),
            iconUrl(f.iconUrl(), errors),
            present.contains("icon_url"));
    return checked(c, errors);
  }

  private static boolean isNull(BadgeFields f, String field) {
    return switch (field) {
      case "name" -> f.name() == null;
      case "description" -> f.description() == null;
      case "condition" -> f.condition() == null || f.condition().isNull();
      default -> false;
    };
  }

  private static BadgeChanges checked(BadgeChanges c, Map<String, String> errors) {
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return c;
  }

  private static String name(String name, Map<String, String> errors) {
    if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
      errors.put("name", "must be 1 to " + MAX_NAME + " characters, not all blank");
    }
    return name;
  }

  private static String description(String description, Map<String, String> errors) {
    if (description != null && description.length() > MAX_DESCRIPTION) {
      errors.put("description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    return description;
  }

  /**
   * Parses with core and returns the canonical rendering, so equal conditions are stored
   * identically.
   */
  private String condition(JsonNode node, Map<String, String> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      var condition = Conditions.parse(json.convertValue(node, Object.class));
      return json.writeValueAsString(Conditions.render(condition));
    } catch (InvalidConditionException e) {
      errors.put(e.path().isEmpty() ? "condition" : "condition." + e.path(), e.reason());
      return null;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a rendered condition must serialise", e);
    }
  }

  private static String iconUrl(String url, Map<String, String> errors) {
    if (url == null) {
      return null;
    }
    if (url.length() > MAX_ICON_URL || !isHttpUrl(url)) {
      errors.put(
          "icon_url", "must be an http or https URL of at most " + MAX_ICON_URL + " characters");
    }
    return url;
  }

  private static boolean isHttpUrl(String url) {
    try {
      var uri = new URI(url);
      var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
