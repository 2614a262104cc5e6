package io.skillquest.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who the client is behind reverse proxies (SKILLQUEST_TRUSTED_PROXIES: addresses or CIDR blocks).
 * Only a request whose peer is a trusted proxy has its {@code X-Forwarded-For} read, right to left,
 * skipping trusted hops: the first untrusted address is the client. Everything left of it was
 * written by the client and is never believed, so a forged header cannot buy a fresh per-IP limit.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");

  private record Block(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** Parses "10.0.0.0/8, 192.168.1.7, fd00::/8"; blank means no proxy is trusted. */
  public static TrustedProxies parse(String list) {
    var blocks = new ArrayList<Block>();
    for (String entry : list.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int slash = e.indexOf('/');
      byte[] network = literal(slash < 0 ? e : e.substring(0, slash));
      int max = network == null ? 0 : network.length * 8;
      int bits;
      try {
        bits = slash < 0 ? max : Integer.parseInt(e.substring(slash + 1));
      } catch (NumberFormatException ex) {
        bits = -1;
      }
      if (network == null || bits < 0 || bits > max) {
        throw new IllegalArgumentException(
            "'" + e + "' is not an IP address or CIDR block like 10.0.0.0/8");
      }
      blocks.add(new Block(network, bits));
    }
    return new TrustedProxies(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /**
   * The client's address, given the socket peer and the request's X-Forwarded-For header lines, in
   * order (a proxy may add its own line rather than append to the client's, so every line counts).
   */
  public String client(String peer, List<String> forwardedFor) {
    peer = strip(peer);
    String hopsText = String.join(",", forwardedFor);
    if (blocks.isEmpty() || !trusted(literal(peer)) || hopsText.isBlank()) {
      return peer;
    }
    String[] hops = hopsText.split(",");
    String nearest = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = strip(hops[i].trim());
      byte[] address = literal(hop);
      if (address == null) {
        // garbage in the chain: the last hop we could vouch for is as far as we can see
        return nearest;
      }
      if (!trusted(address)) {
        return hop;
      }
      nearest = hop;
    }
    return nearest;
  }

  private boolean trusted(byte[] address) {
    return address != null && blocks.stream().anyMatch(b -> b.contains(address));
  }

  /**
   * "[2001:db8::1]:443", "[::1]" (Jetty's IPv6 peer) and "203.0.113.9:5000", down to the address.
   */
  private static String strip(String hop) {
    if (hop.startsWith("[") && hop.indexOf(']') > 0) {
      return hop.substring(1, hop.indexOf(']'));
    }
    int colon = hop.indexOf(':');
    return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
  }

  /**
   * The address's bytes, or null; only well-formed literals reach {@link InetAddress#getByName}, so
   * parsing never turns into a DNS lookup (it would for 1.2.3.256; a string with a colon is always
   * taken as IPv6).
   */
  private static byte[] literal(String text) {
    if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      for (String octet : text.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
