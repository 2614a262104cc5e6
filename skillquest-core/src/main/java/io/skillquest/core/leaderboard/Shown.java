package io.skillquest.core.leaderboard;

/** User text echoed in an error message: bounded, and without characters that could forge logs. */
final class Shown {

  private static final int MAX = 64;

  private Shown() {}

  static String text(String text) {
    String cut = text.length() > MAX ? text.substring(0, MAX) + "..." : text;
    return cut.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
