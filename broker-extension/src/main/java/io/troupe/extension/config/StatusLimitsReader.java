package io.troupe.extension.config;

import io.troupe.router.StatusLimits;
import java.nio.file.Path;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads {@code <limits><status>}: how large the lists inside one status may be ({@link
 * StatusLimits}). Each element is optional and a positive whole number; anything else stops the
 * extension with {@link ConfigReader.InvalidConfigException} naming it.
 */
final class StatusLimitsReader {

  static final String ELEMENT = "status";

  private static final Set<String> NAMES =
      Set.of(
          "max-components",
          "max-required-components",
          "max-areas",
          "max-windows",
          "max-services",
          "max-name-chars");

  private StatusLimitsReader() {}

  /** {@code current} with the values {@code status} sets. */
  static StatusLimits read(final Element status, final StatusLimits current, final Path file) {
    StatusLimits limits = current;
    for (final Element e : ConfigReader.children(status, NAMES, file)) {
      final long value = ConfigReader.positive(e, file);
      if (value > Integer.MAX_VALUE) {
        throw new ConfigReader.InvalidConfigException(
            file + ": <" + e.getTagName() + "> is too large: " + value);
      }
      final int n = (int) value;
      limits =
          switch (e.getTagName()) {
            case "max-components" -> limits.withMaxComponents(n);
            case "max-required-components" -> limits.withMaxRequiredComponents(n);
            case "max-areas" -> limits.withMaxAreas(n);
            case "max-windows" -> limits.withMaxWindows(n);
            case "max-services" -> limits.withMaxServices(n);
            default -> limits.withMaxNameChars(n);
          };
    }
    return limits;
  }
}
