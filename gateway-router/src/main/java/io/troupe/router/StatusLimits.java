package io.troupe.router;

import com.google.common.base.Preconditions;

/**
 * How large the lists inside one status may be. Each device keeps one status, so these bound what
 * one identity's statuses hold per device it reports as, and what a routing decision could be made
 * to read; a status past any of them is refused whole (413) and changes nothing. {@link
 * RouterConfig#maxPayloadBytes()} still bounds its size in bytes.
 *
 * @param maxComponents entries of {@code metrics.components}
 * @param maxRequiredComponents entries of {@code criteria.required_components}
 * @param maxAreas entries of {@code criteria.areas}, and of {@code criteria.area_roles}
 * @param maxWindows entries of {@code criteria.windows} (each naming at most the 7 days of a week)
 * @param maxServices entries of {@code services}, and of {@code volunteer_services}
 * @param maxNameChars characters of each component, area, time zone and service name in it
 */
public record StatusLimits(
    int maxComponents,
    int maxRequiredComponents,
    int maxAreas,
    int maxWindows,
    int maxServices,
    int maxNameChars) {

  /** What a status may hold that the configuration does not set: a week has 7 days. */
  public static final int MAX_WINDOW_DAYS = 7;

  /** The list or name of a status that a limit bounds: each kind of refusal is counted apart. */
  public enum Field {
    COMPONENTS,
    REQUIRED_COMPONENTS,
    AREAS,
    AREA_ROLES,
    WINDOWS,
    WINDOW_DAYS,
    SERVICES,
    NAME_CHARS
  }

  public StatusLimits {
    requirePositive(maxComponents, "maxComponents");
    requirePositive(maxRequiredComponents, "maxRequiredComponents");
    requirePositive(maxAreas, "maxAreas");
    requirePositive(maxWindows, "maxWindows");
    requirePositive(maxServices, "maxServices");
    requirePositive(maxNameChars, "maxNameChars");
  }

  /** The defaults of the shipped {@code conf/config.xml}. */
  public static StatusLimits defaults() {
    return new StatusLimits(256, 64, 64, 32, 256, 256);
  }

  public StatusLimits withMaxComponents(final int value) {
    return new StatusLimits(
        value, maxRequiredComponents, maxAreas, maxWindows, maxServices, maxNameChars);
  }

  public StatusLimits withMaxRequiredComponents(final int value) {
    return new StatusLimits(maxComponents, value, maxAreas, maxWindows, maxServices, maxNameChars);
  }

  public StatusLimits withMaxAreas(final int value) {
    return new StatusLimits(
        maxComponents, maxRequiredComponents, value, maxWindows, maxServices, maxNameChars);
  }

  public StatusLimits withMaxWindows(final int value) {
    return new StatusLimits(
        maxComponents, maxRequiredComponents, maxAreas, value, maxServices, maxNameChars);
  }

  public StatusLimits withMaxServices(final int value) {
    return new StatusLimits(
        maxComponents, maxRequiredComponents, maxAreas, maxWindows, value, maxNameChars);
  }

  public StatusLimits withMaxNameChars(final int value) {
    return new StatusLimits(
        maxComponents, maxRequiredComponents, maxAreas, maxWindows, maxServices, value);
  }

  private static void requirePositive(final int value, final String name) {
    Preconditions.checkArgument(value > 0, "%s must be positive: %s", name, value);
  }
}
