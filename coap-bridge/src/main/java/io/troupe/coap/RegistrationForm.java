package io.troupe.coap;

import io.troupe.contract.Names;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a device's registration the way a CoRE Resource Directory does (RFC 9176): the query
 * parameters {@code ep} (the endpoint name, which must be the device's identity), {@code d} (the
 * sector: the community), {@code lt} (the lifetime in seconds, 90000 when absent) and {@code base}
 * ({@code coap://host[:port]}, the registration's source address when absent); and a link-format
 * payload with one link per service, {@code </prefix>;svc="name"}: requests routed to that service
 * go to the base URI, the prefix and the request's path. Pure: refuses anything else with a reason.
 *
 * <p>Two parameters of Troupe's own say who may join the community when this registration creates
 * it, as {@code troupe agent --member ID --open} does: {@code members} (identities separated by
 * commas) and {@code open} ({@code true} or {@code false}). Community and service names are taken
 * in any case and passed on in lower case (they are case-insensitive, as the DNS names they mimic).
 */
final class RegistrationForm {

  /** RFC 9176's default lifetime. */
  static final long DEFAULT_LIFETIME_S = 90_000;

  /** RFC 9176's largest lifetime (the option is a 32-bit unsigned integer). */
  static final long MAX_LIFETIME_S = 0xFFFF_FFFFL;

  static final int MAX_LINKS = 16;

  private static final Set<String> REGISTER = Set.of("ep", "d", "lt", "base", "members", "open");
  private static final Set<String> UPDATE = Set.of("lt", "base");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private RegistrationForm() {}

  /** A service the device serves, and the path on the device its requests go below. */
  record Link(String service, String prefix) {}

  /**
   * A well-formed registration; {@code base} already defaulted to the source. {@code members} and
   * {@code open} apply only when the registration creates the community.
   */
  record Registration(
      String endpoint,
      String community,
      long lifetimeSeconds,
      InetSocketAddress base,
      List<Link> links,
      List<String> members,
      boolean open) {
    Registration {
      links = List.copyOf(links);
      members = List.copyOf(members);
    }
  }

  /** A well-formed update: what it changes. */
  record Update(OptionalLong lifetimeSeconds, Optional<InetSocketAddress> base) {}

  /** Thrown with the reason a form is refused (a 4.00 for the caller). */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(final String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * A registration from its Uri-Query options and payload.
   *
   * @param source where the registration came from: the base when none is given
   */
  static Registration registration(
      final List<String> query, final String payload, final InetSocketAddress source)
      throws Malformed {
    final Map<String, String> p = parameters(query, REGISTER);
    final String ep = p.get("ep");
    if (ep == null || !Names.isLabel(ep)) {
      throw new Malformed("ep must be the device's name (lowercase letters, digits, hyphens)");
    }
    final String d = lowerCase(p.get("d"));
    if (d == null || !Names.isLabel(d)) {
      throw new Malformed("d must name the community (letters, digits, hyphens)");
    }
    final long lt = p.containsKey("lt") ? lifetime(p.get("lt")) : DEFAULT_LIFETIME_S;
    final InetSocketAddress base = p.containsKey("base") ? base(p.get("base")) : source;
    return new Registration(
        ep, d, lt, base, links(payload), members(p.get("members")), open(p.get("open")));
  }

  /** The identities of {@code members=a,b,c}: none when absent. */
  private static List<String> members(final String value) throws Malformed {
    if (value == null) {
      return List.of();
    }
    final Set<String> members = new LinkedHashSet<>();
    for (final String m : value.split(",", -1)) {
      if (!Names.isTopicLevel(m)) {
        throw new Malformed("members must be identities separated by commas, not '" + value + "'");
      }
      members.add(m);
    }
    return List.copyOf(members);
  }

  private static boolean open(final String value) throws Malformed {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new Malformed("open must be true or false, not '" + value + "'");
  }

  /** A community or service name as the router keeps it; null stays null. */
  private static String lowerCase(final String name) {
    return name == null ? null : name.toLowerCase(Locale.ROOT);
  }

  /** An update (RFC 9176 §4.3) from its Uri-Query options: {@code lt} and {@code base} only. */
  static Update update(final List<String> query) throws Malformed {
    final Map<String, String> p = parameters(query, UPDATE);
    return new Update(
        p.containsKey("lt") ? OptionalLong.of(lifetime(p.get("lt"))) : OptionalLong.empty(),
        p.containsKey("base") ? Optional.of(base(p.get("base"))) : Optional.empty());
  }

  private static Map<String, String> parameters(final List<String> query, final Set<String> known)
      throws Malformed {
    final Map<String, String> p = new HashMap<>();
    for (final String q : query) {
      final int eq = q.indexOf('=');
      final String name = eq < 0 ? q : q.substring(0, eq);
      if (!known.contains(name)) {
        throw new Malformed("unknown parameter '" + name + "'; known: " + String.join(", ", known));
      }
      if (eq < 0 || p.put(name, q.substring(eq + 1)) != null) {
        throw new Malformed("parameter '" + name + "' must be given once, with a value");
      }
    }
    return p;
  }

  private static long lifetime(final String value) throws Malformed {
    try {
      final long lt = Long.parseLong(value);
      if (lt >= 1 && lt <= MAX_LIFETIME_S) {
        return lt;
      }
    } catch (final NumberFormatException e) {
      // refused below
    }
    throw new Malformed("lt must be a number of seconds from 1 to " + MAX_LIFETIME_S);
  }

  /** {@code coap://host[:port]} with an IP address for host: the gateway looks no name up. */
  static InetSocketAddress base(final String value) throws Malformed {
    final String prefix = "coap://";
    if (!value.startsWith(prefix)) {
      throw new Malformed(
          "base must be coap://address[:port] (the gateway reaches devices over plain CoAP)");
    }
    final String authority = value.substring(prefix.length());
    if (authority.matches(".*[/?#].*")) {
      throw new Malformed(
          "base must be coap://address[:port] without a path: paths go in the links");
    }
    final String host;
    final String port;
    if (authority.startsWith("[")) {
      final int close = authority.indexOf(']');
      if (close < 0) {
        throw new Malformed("base has an unclosed IPv6 address");
      }
      host = authority.substring(1, close);
      port = authority.substring(close + 1);
    } else {
      final int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon);
      if (!IPV4.matcher(host).matches()) {
        throw new Malformed("base must name an IP address, not '" + host + "'");
      }
    }
    if (!host.matches("[0-9A-Fa-f:.]+")) {
      throw new Malformed("base must name an IP address, not '" + host + "'");
    }
    final int number = port(port);
    try {
      return new InetSocketAddress(InetAddress.getByName(host), number); // a literal: no lookup
    } catch (final UnknownHostException e) {
      throw new Malformed("base must name an IP address, not '" + host + "'");
    }
  }

  private static int port(final String port) throws Malformed {
    if (port.isEmpty()) {
      return 5683;
    }
    if (port.matches(":\\d{1,5}")) {
      final int n = Integer.parseInt(port.substring(1));
      if (n >= 1 && n <= 65535) {
        return n;
      }
    }
    throw new Malformed("base must be coap://address[:port] with a port from 1 to 65535, no path");
  }

  /** The links of a link-format payload (RFC 6690), each with exactly one {@code svc}. */
  static List<Link> links(final String payload) throws Malformed {
    if (payload.isBlank()) {
      throw new Malformed("the payload must list the services: </prefix>;svc=\"name\",...");
    }
    final List<String> entries = split(payload.trim(), ',');
    if (entries.size() > MAX_LINKS) {
      throw new Malformed("at most " + MAX_LINKS + " links");
    }
    final List<Link> links = new ArrayList<>();
    final Set<String> services = new LinkedHashSet<>();
    for (final String entry : entries) {
      final Link link = link(entry.trim());
      if (!services.add(link.service())) {
        throw new Malformed("service '" + link.service() + "' is listed twice");
      }
      links.add(link);
    }
    return links;
  }

  private static Link link(final String entry) throws Malformed {
    final int close = entry.indexOf('>');
    if (!entry.startsWith("<") || close < 0) {
      throw new Malformed("a link must be </path>;svc=\"name\", not '" + entry + "'");
    }
    final String target = entry.substring(1, close);
    if (!target.startsWith("/") || target.startsWith("//") || target.matches(".*[?#<>\\s].*")) {
      throw new Malformed("a link's target must be a path on the device, not '" + target + "'");
    }
    String service = null;
    final String rest = entry.substring(close + 1).trim();
    for (final String attribute : split(rest, ';')) {
      if (attribute.isBlank()) {
        continue;
      }
      final int eq = attribute.indexOf('=');
      final String name = (eq < 0 ? attribute : attribute.substring(0, eq)).trim();
      if (name.equals("svc")) {
        if (service != null || eq < 0) {
          throw new Malformed("a link must have exactly one svc=\"name\": '" + entry + "'");
        }
        service = lowerCase(unquote(attribute.substring(eq + 1).trim()));
      }
    }
    if (service == null || !Names.isLabel(service)) {
      throw new Malformed(
          "a link's svc must name a service (letters, digits, hyphens): '" + entry + "'");
    }
    return new Link(service, target.equals("/") ? "" : stripTrailingSlash(target));
  }

  private static String stripTrailingSlash(final String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String unquote(final String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  /** Splits on {@code separator} outside double quotes (empty leading text starts no entry). */
  private static List<String> split(final String text, final char separator) throws Malformed {
    final List<String> parts = new ArrayList<>();
    final StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw new Malformed("an unclosed quote in '" + text + "'");
    }
    parts.add(current.toString());
    return parts;
  }

  static String describe(final InetSocketAddress base) {
    final InetAddress a = base.getAddress();
    final String host =
        a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    return "coap://" + host + ":" + base.getPort();
  }
}
