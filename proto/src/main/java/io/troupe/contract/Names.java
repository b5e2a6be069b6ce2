package io.troupe.contract;

import java.util.Objects;

/**
 * The syntax of the names that appear in topics and service addresses.
 *
 * <p>Community, service and device names become labels of service addresses ({@code movies.family},
 * {@code abc1.weather.mobile.net}), so they follow DNS label rules: lowercase letters, digits and
 * inner hyphens, 1 to 63 characters. A client id that names a consumer's response namespace may be
 * any MQTT client id free of topic separators and wildcards.
 */
public final class Names {

  private static final int MAX_LABEL_LENGTH = 63;
  private static final int MAX_ADDRESS_LENGTH = 253;

  private Names() {}

  /**
   * {@code nameOrAddress} as the gateway holds it: community and service names are case-insensitive
   * like the DNS names they mimic, and lower case is their one spelling ({@code ECHO.Demo} is
   * {@code echo.demo}). Null stays null.
   */
  public static String lowerCase(final String nameOrAddress) {
    return nameOrAddress == null ? null : nameOrAddress.toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether {@code name} is a valid community, service or device name. */
  public static boolean isLabel(final String name) {
    return name != null && isLabel(name, 0, name.length());
  }

  /**
   * Whether {@code s[from, to)} is a label: {@code [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?}, checked by
   * hand because every request's address passes here, and a regex matcher per label cost more than
   * the rest of the check.
   */
  private static boolean isLabel(final String s, final int from, final int to) {
    final int length = to - from;
    if (length < 1 || length > MAX_LABEL_LENGTH) {
      return false;
    }
    if (s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      final char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code name} if it is a valid community, service or device name.
   *
   * @throws IllegalArgumentException naming {@code what} if it is not
   */
  public static String requireLabel(final String name, final String what) {
    if (!isLabel(name)) {
      throw new IllegalArgumentException(
          what + " must be 1 to 63 lowercase letters, digits or inner hyphens, got '" + name + "'");
    }
    return name;
  }

  /** Whether {@code address} is a dotted service address whose every label is valid. */
  public static boolean isAddress(final String address) {
    if (address == null || address.isEmpty() || address.length() > MAX_ADDRESS_LENGTH) {
      return false;
    }
    int from = 0;
    for (int dot = address.indexOf('.'); dot >= 0; dot = address.indexOf('.', from)) {
      if (!isLabel(address, from, dot)) {
        return false;
      }
      from = dot + 1;
    }
    return isLabel(address, from, address.length());
  }

  /** Whether {@code clientId} can name a topic level: not empty, no '/', '+', '#' or NUL. */
  public static boolean isTopicLevel(final String clientId) {
    if (clientId == null || clientId.isEmpty()) {
      return false;
    }
    for (int i = 0; i < clientId.length(); i++) {
      final char c = clientId.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c == '\u0000') {
        return false;
      }
    }
    return true;
  }

  static String requireTopicLevel(final String level, final String what) {
    Objects.requireNonNull(level, what);
    if (!isTopicLevel(level)) {
      throw new IllegalArgumentException(
          what + " must not be empty nor hold '/', '+', '#': '" + level + "'");
    }
    return level;
  }
}
