package io.skillquest.core.queue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A request to the worker to process one submitted attempt; the queue message.
 *
 * <p>Wire form: {@code {"v":1,"attempt_id":123,"submitted_at":"2026-01-01T00:00:00Z"}}. The message
 * carries only the attempt id (the database holds everything else), so its format is tiny and is
 * read by a hand parser of exactly this shape rather than a JSON library, keeping core JDK-only.
 * Parsing is strict: whitespace and key order are free, anything else unexpected is a {@link
 * MalformedTaskException}, so a poison message is recognised at once and set aside.
 *
 * @param attemptId the attempt's id, positive
 * @param submittedAt when the attempt was submitted
 */
public record AwardTask(long attemptId, Instant submittedAt) {

  /**
   * The message format version written by {@link #toJson()}, the only one {@link #parse} accepts.
   */
  public static final int VERSION = 1;

  /** The longest message accepted; a real one is under 100 characters. */
  public static final int MAX_LENGTH = 1024;

  /**
   * Validates the components.
   *
   * @param attemptId the attempt id
   * @param submittedAt the submission time
   * @throws IllegalArgumentException if {@code attemptId} is not positive
   * @throws NullPointerException if {@code submittedAt} is null
   */
  public AwardTask {
    if (attemptId <= 0) {
      throw new IllegalArgumentException("attempt id must be positive: " + attemptId);
    }
    Objects.requireNonNull(submittedAt, "submittedAt");
  }

  /**
   * The queue message for this task.
   *
   * @return the compact JSON form, keys in the order {@code v}, {@code attempt_id}, {@code
   *     submitted_at}
   */
  public String toJson() {
    return "{\"v\":"
        + VERSION
        + ",\"attempt_id\":"
        + attemptId
        + ",\"submitted_at\":\""
        + submittedAt
        + "\"}";
  }

  /**
   * Reads a queue message.
   *
   * @param json the message
   * @return the task
   * @throws MalformedTaskException if the message is null, not of the version-1 shape, has a
   *     missing, duplicate or unknown field, a bad value, or anything after the closing brace
   */
  public static AwardTask parse(String json) {
    if (json == null) {
      throw new MalformedTaskException("task is null");
    }
    if (json.length() > MAX_LENGTH) {
      throw new MalformedTaskException("task is longer than " + MAX_LENGTH + " characters");
    }
    return new Parser(json).task();
  }

  /** A cursor over one message. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    AwardTask task() {
      Long version = null;
      Long attemptId = null;
      Instant submittedAt = null;
      String unknown = null;
      Set<String> seen = new HashSet<>();
      skipSpace();
      expect('{');
      skipSpace();
      if (peek() == '}') {
        pos++;
      } else {
        while (true) {
          skipSpace();
          String key = string("field name");
          if (!seen.add(key)) {
            throw fail("duplicate field '" + key + "'");
          }
          skipSpace();
          expect(':');
          skipSpace();
          switch (key) {
            case "v" -> version = integer(key);
            case "attempt_id" -> attemptId = integer(key);
            case "submitted_at" -> submittedAt = instant(string(key));
            default -> {
              // remembered, not thrown yet: an unsupported version is the more useful report
              unknown = unknown == null ? key : unknown;
              skipScalar();
            }
          }
          skipSpace();
          if (peek() == ',') {
            pos++;
            continue;
          }
          expect('}');
          break;
        }
      }
      skipSpace();
      if (pos < s.length()) {
        throw fail("unexpected characters after the task");
      }
      if (version == null) {
        throw new MalformedTaskException("missing field 'v'");
      }
      if (version != VERSION) {
        throw new MalformedTaskException("unsupported task version " + version);
      }
      if (unknown != null) {
        throw new MalformedTaskException("unknown field '" + unknown + "'");
      }
      if (attemptId == null) {
        throw new MalformedTaskException("missing field 'attempt_id'");
      }
      if (attemptId <= 0) {
        throw new MalformedTaskException("attempt_id must be positive: " + attemptId);
      }
      if (submittedAt == null) {
        throw new MalformedTaskException("missing field 'submitted_at'");
      }
      return new AwardTask(attemptId, submittedAt);
    }

    private long integer(String field) {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      int digits = pos;
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
      int end = pos;
      if (end == digits) {
        throw fail(field + " must be an integer");
      }
      if (s.charAt(digits) == '0' && end - digits > 1) {
        throw fail(field + " must not have leading zeros");
      }
      if (peek() == '.' || peek() == 'e' || peek() == 'E') {
        throw fail(field + " must be an integer");
      }
      try {
        return Long.parseLong(s.substring(start, end));
      } catch (NumberFormatException e) {
        throw fail(field + " is out of range");
      }
    }

    private String string(String what) {
      if (peek() != '"') {
        throw fail(what + " must be a string");
      }
      int start = ++pos;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '"') {
          return s.substring(start, pos++);
        }
        if (c == '\\') {
          throw fail("escape sequences are not supported");
        }
        if (c < 0x20) {
          throw fail("control character in string");
        }
        pos++;
      }
      throw fail("unterminated string");
    }

    private Instant instant(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new MalformedTaskException("submitted_at is not an ISO-8601 instant: '" + text + "'");
      }
    }

    private void skipScalar() {
      char c = peek();
      if (c == '"') {
        string("value");
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        integer("value");
      } else {
        for (String literal : new String[] {"true", "false", "null"}) {
          if (s.startsWith(literal, pos)) {
            pos += literal.length();
            return;
          }
        }
        throw fail("unexpected value");
      }
    }

    private void skipSpace() {
      while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    private char peek() {
      // NUL marks the end; it can never be a valid character of the shape
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw fail("expected '" + c + "'");
      }
      pos++;
    }

    private MalformedTaskException fail(String message) {
      return new MalformedTaskException(message + " at offset " + pos);
    }
  }
}
