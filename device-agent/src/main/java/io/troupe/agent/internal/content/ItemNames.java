package io.troupe.agent.internal.content;

import java.util.Objects;

/**
 * The names a content store accepts for its items: relative paths with '/', every segment a plain
 * name (no empty segment, no {@code .} or {@code ..}, no backslash or NUL), and never under the
 * store's own {@value #STATE} folder. Names come from other servers' descriptors, so a name that
 * could leave the folder or reach the store's state is refused before any file is touched.
 */
public final class ItemNames {

  /** The folder, at the top of a content folder, where the store keeps its own state. */
  public static final String STATE = ".troupe";

  /** The longest item name accepted, in characters. */
  public static final int MAX_LENGTH = 1024;

  private ItemNames() {}

  /**
   * {@code name}, when a content store may hold an item by it.
   *
   * @throws IllegalArgumentException naming the item and why it is refused
   */
  public static String require(final String name) {
    Objects.requireNonNull(name, "item name");
    final String why = refusal(name);
    if (why != null) {
      throw new IllegalArgumentException("item name '" + printable(name) + "' refused: " + why);
    }
    return name;
  }

  /** Whether a content store may hold an item by {@code name}. */
  public static boolean valid(final String name) {
    return name != null && refusal(name) == null;
  }

  private static String refusal(final String name) {
    if (name.isEmpty()) {
      return "empty";
    }
    if (name.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    if (name.startsWith("/")) {
      return "absolute";
    }
    if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      return "has a backslash or NUL";
    }
    final String[] segments = name.split("/", -1);
    for (final String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) {
        return "has an empty, '.' or '..' segment";
      }
    }
    if (segments[0].equals(STATE)) {
      return "under the store's own " + STATE + " folder";
    }
    return null;
  }

  private static String printable(final String name) {
    final String cut = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
