package io.skillquest.server.config;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Key material that never prints itself, so a logged configuration leaks nothing. */
public final class Secret {
  private final byte[] bytes;

  public Secret(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public static Secret random() {
    var b = new byte[48];
    new SecureRandom().nextBytes(b);
    return new Secret(b);
  }

  public static Secret fromHex(String hex) {
    return new Secret(HexFormat.of().parseHex(hex));
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
