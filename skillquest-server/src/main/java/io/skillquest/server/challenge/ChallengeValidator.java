package io.skillquest.server.challenge;

import io.skillquest.core.xp.XpRule;
import io.skillquest.server.http.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field rules of a challenge, shared by create and update; every problem is reported at once.
 */
final class ChallengeValidator {
  static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard", "expert");
  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 20_000;
  static final int MAX_XP = 1_000_000;
  static final int MAX_TAGS = 20;
  static final int MAX_TAG = 64;

  private ChallengeValidator() {}

  static ChallengeChanges forCreate(ChallengeFields f) {
    var errors = new LinkedHashMap<String, String>();
    var c =
        new ChallengeChanges(
            title(f.title(), errors, true),
            f.description() == null ? "" : description(f.description(), errors),
            xp(f.xp(), errors, true),
            difficulty(f.difficulty(), errors, true),
            f.tags() == null ? List.of() : tags(f.tags(), errors),
            f.passScore() == null
                ? Integer.valueOf(XpRule.DEFAULT_PASS_SCORE)
                : passScore(f.passScore(), errors),
            f.published() == null ? Boolean.FALSE : f.published());
    return checked(c, errors);
  }

  /**
   * {@code present} names the fields the PATCH body carried; an explicit null for any of them is an
   * error.
   */
  static ChallengeChanges forUpdate(ChallengeFields f, Set<String> present) {
    var errors = new LinkedHashMap<String, String>();
    // tags: null clears them, so a client whose generator leaves an unset list null can say "none"
    for (var field :
        List.of("title", "description", "xp", "difficulty", "pass_score", "published")) {
      if (present.contains(field) && isNull(f, field)) {
        errors.put(field, "must not be null");
      }
    }
    var c =
        new ChallengeChanges(
            f.title() == null ? null : title(f.title(), errors, false),
            f.description() == null ? null : description(f.description(), errors),
            f.xp() == null ? null : xp(f.xp(), errors, false),
            f.difficulty() == null ? null : difficulty(f.difficulty(), errors, false),
            f.tags() == null
                ? (present.contains("tags") ? List.of() : null)
                : tags(f.tags(), errors),
            f.passScore() == null ? null : passScore(f.passScore(), errors),
            f.published());
    return checked(c, errors);
  }

  /** The {@code ?difficulty=} filter: absent is fine, anything else must be a known difficulty. */
  static String difficultyFilter(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (!DIFFICULTIES.contains(raw)) {
      throw Problem.invalidField("difficulty", "must be one of easy, medium, hard, expert");
    }
    return raw;
  }

  static String tagFilter(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    return raw.strip().toLowerCase(Locale.ROOT);
  }

  private static ChallengeChanges checked(ChallengeChanges c, Map<String, String> errors) {
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return c;
  }

  private static boolean isNull(ChallengeFields f, String field) {
    return switch (field) {
      case "title" -> f.title() == null;
      case "description" -> f.description() == null;
      case "xp" -> f.xp() == null;
      case "difficulty" -> f.difficulty() == null;
      case "tags" -> f.tags() == null;
      case "pass_score" -> f.passScore() == null;
      case "published" -> f.published() == null;
      default -> false;
    };
  }

  private static String title(String title, Map<String, String> errors, boolean required) {
    if (title == null) {
      if (required) {
        errors.put("title", "is required");
      }
      return null;
    }
    if (title.isBlank() || title.length() > MAX_TITLE) {
      errors.put("title", "must be 1 to " + MAX_TITLE + " characters, not all blank");
    }
    return title;
  }

  private static String description(String description, Map<String, String> errors) {
    if (description.length() > MAX_DESCRIPTION) {
      errors.put("description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    return description;
  }

  private static Integer xp(Long xp, Map<String, String> errors, boolean required) {
    if (xp == null) {
      if (required) {
        errors.put("xp", "is required");
      }
      return null;
    }
    if (xp < 0 || xp > MAX_XP) {
      errors.put("xp", "must be an integer between 0 and " + MAX_XP);
      return null;
    }
    return xp.intValue();
  }

  private static String difficulty(
      String difficulty, Map<String, String> errors, boolean required) {
    if (difficulty == null) {
      if (required) {
        errors.put("difficulty", "is required");
      }
      return null;
    }
    if (!DIFFICULTIES.contains(difficulty)) {
      errors.put("difficulty", "must be one of easy, medium, hard, expert");
    }
    return difficulty;
  }

  /** Tags are trimmed, lower-cased and de-duplicated (first occurrence wins the order). */
  private static List<String> tags(List<String> tags, Map<String, String> errors) {
    if (tags.size() > MAX_TAGS) {
      errors.put("tags", "must hold at most " + MAX_TAGS + " tags");
      return List.of();
    }
    var out = new LinkedHashSet<String>();
    for (int i = 0; i < tags.size(); i++) {
      var tag = tags.get(i);
      var normal = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
      if (normal.isEmpty() || normal.length() > MAX_TAG) {
        errors.put("tags[" + i + "]", "must be a string of 1 to " + MAX_TAG + " characters");
      } else {
        out.add(normal);
      }
    }
    return new ArrayList<>(out);
  }

  private static Integer passScore(Long passScore, Map<String, String> errors) {
    if (passScore < 0 || passScore > 100) {
      errors.put("pass_score", "must be an integer between 0 and 100");
      return null;
    }
    return passScore.intValue();
  }
}
