package io.skillquest.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads settings from environment variables. Problems are collected, not thrown one by one, so a
 * process that fails to start names every bad variable at once; {@link #validate()} throws them.
 */
public final class Env {
  private final Map<String, String> vars;
  private final List<String> errors = new ArrayList<>();

  public Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  /** The trimmed value; empty when unset or blank. */
  public Optional<String> value(String name) {
    var v = vars.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** True when the variable is present at all, even empty (an explicit "none"). */
  public boolean isSet(String name) {
    return vars.containsKey(name);
  }

  public String string(String name, String fallback) {
    return value(name).orElse(fallback);
  }

  public int integer(String name, int fallback, int min, int max) {
    var raw = value(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    error(name + " must be an integer between " + min + " and " + max);
    return fallback;
  }

  public boolean bool(String name, boolean fallback) {
    var raw = value(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> {
        error(name + " must be true or false");
        yield fallback;
      }
    };
  }

  /** Records a problem; {@link #validate()} reports it with the others. */
  public void error(String message) {
    // a variable read twice (the stores' prefix is) is still reported once
    if (!errors.contains(message)) {
      errors.add(message);
    }
  }

  /**
   * @throws IllegalArgumentException listing every problem recorded so far
   */
  public void validate() {
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
  }
}
