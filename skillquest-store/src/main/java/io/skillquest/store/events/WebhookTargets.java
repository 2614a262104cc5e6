package io.skillquest.store.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard for webhook URLs: http or https only, and unless private targets are allowed, no
 * host that resolves to a loopback, private (RFC 1918, IPv6 unique-local fc00::/7), link-local
 * (169.254.0.0/16 with the cloud metadata address, fe80::/10), shared (100.64.0.0/10), unspecified,
 * broadcast or multicast address. Checked when an admin saves a URL and again before every
 * delivery, since DNS may change in between.
 */
public final class WebhookTargets {

  /** Why a URL may not be used; the message is safe to show the admin. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private WebhookTargets() {}

  /**
   * @return the URL, parsed
   * @throws Refused when it is not an absolute http(s) URL with a host
   */
  public static URI parse(String url) throws Refused {
    if (url == null || url.isBlank() || url.length() > 2000) {
      throw new Refused("must be an http or https URL of at most 2000 characters");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new Refused("is not a valid URL");
    }
    var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("must use http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new Refused("must not carry credentials");
    }
    if (uri.getRawFragment() != null) {
      throw new Refused("must not have a fragment");
    }
    return uri;
  }

  /**
   * Resolves the URL's host and checks every address it resolves to.
   *
   * @return the first address
   * @throws Refused when the host does not resolve, or any address is forbidden
   */
  public static InetAddress check(URI uri, boolean allowPrivate) throws Refused {
    return addresses(uri.getHost(), allowPrivate).get(0);
  }

  /**
   * Resolves a host and checks every address it resolves to: what a client may connect to, the
   * addresses themselves rather than the name, which DNS may answer differently a moment later.
   *
   * @return every address, none forbidden
   * @throws Refused when the host does not resolve, or any address is forbidden
   */
  public static List<InetAddress> addresses(String host, boolean allowPrivate) throws Refused {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Refused("host " + host + " does not resolve");
    }
    if (!allowPrivate) {
      for (var a : addresses) {
        if (forbidden(a)) {
          throw new Refused(
              "resolves to "
                  + a.getHostAddress()
                  + ", a loopback, private, link-local or otherwise internal address");
        }
      }
    }
    return List.of(addresses);
  }

  /** Parses and checks in one step. */
  public static InetAddress check(String url, boolean allowPrivate) throws Refused {
    return check(parse(url), allowPrivate);
  }

  static boolean forbidden(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isAnyLocalAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second < 128) // shared address space (CGNAT)
          || (first == 255 && second == 255 && (b[2] & b[3] & 0xff) == 0xff); // broadcast
    }
    // unique local fc00::/7; an IPv4-mapped address is returned as Inet4Address by the JDK
    return (b[0] & 0xfe) == 0xfc;
  }
}
