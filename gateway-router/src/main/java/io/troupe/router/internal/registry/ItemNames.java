package io.troupe.router.internal.registry;

/**
 * The names a descriptor's items may have (R3): a relative path of one or more segments separated
 * by {@code /}, which a device can resolve under its own folder without leaving it. So no leading
 * {@code /}, no empty, {@code .} or {@code ..} segment, no backslash (a separator elsewhere) and no
 * control character.
 */
final class ItemNames {

  private ItemNames() {}

  /** What is wrong with {@code name} as an item's name, or null when nothing is. */
  static String problem(final String name) {
    if (name.isEmpty()) {
      return "is empty; an item is named by a relative path";
    }
    if (name.startsWith("/")) {
      return "is absolute; an item is named by a path relative to the service's folder";
    }
    if (name.indexOf('\\') >= 0) {
      return "contains a backslash; segments are separated by '/'";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "contains a control character";
      }
    }
    for (final String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        return "has an empty segment";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "has a '" + segment + "' segment; an item stays inside the service's folder";
      }
    }
    return null;
  }
}
