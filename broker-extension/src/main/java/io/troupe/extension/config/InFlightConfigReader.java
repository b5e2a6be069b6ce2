package io.troupe.extension.config;

import io.troupe.router.InFlightLimits;
import io.troupe.router.RouterConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * The bounds on requests waiting for an answer in {@code conf/config.xml}: {@code
 * routing/max-deadline-ms} and the {@code limits/max-pending-*} elements, and how they must agree
 * with each other and with the other routing settings.
 */
final class InFlightConfigReader {

  /** The elements of {@code <limits>} read here. */
  static final Set<String> LIMITS =
      Set.of(
          "max-pending-requests-per-identity",
          "max-pending-bytes-per-identity",
          "max-pending-requests",
          "max-pending-bytes");

  private InFlightConfigReader() {}

  /** {@code c} with the limit {@code name} (one of {@link #LIMITS}) set to {@code value}. */
  static RouterConfig withLimit(
      final RouterConfig c, final String name, final long value, final Path file) {
    final InFlightLimits l = c.inFlight();
    return c.withInFlight(
        switch (name) {
          case "max-pending-requests-per-identity" ->
              l.withMaxPendingPerIdentity(asInt(name, value, file));
          case "max-pending-bytes-per-identity" -> l.withMaxPendingBytesPerIdentity(value);
          case "max-pending-requests" -> l.withMaxPending(asInt(name, value, file));
          default -> l.withMaxPendingBytes(value);
        });
  }

  /**
   * Checks that the settings agree, once all are read: the default deadline within the longest, a
   * request of the largest size within one identity's bytes, and one identity's share within the
   * gateway's.
   *
   * @throws ConfigReader.InvalidConfigException naming the settings that disagree
   */
  static void check(final RouterConfig c, final Path file) {
    final InFlightLimits l = c.inFlight();
    if (c.defaultDeadline().compareTo(l.maxDeadline()) > 0) {
      throw invalid(
          file,
          "<default-deadline-ms> ("
              + c.defaultDeadline().toMillis()
              + ") must not exceed <max-deadline-ms> ("
              + l.maxDeadline().toMillis()
              + ")");
    }
    if (l.maxPendingBytesPerIdentity() < c.maxPayloadBytes()) {
      throw invalid(
          file,
          "<max-pending-bytes-per-identity> ("
              + l.maxPendingBytesPerIdentity()
              + ") must be at least <max-payload-bytes> ("
              + c.maxPayloadBytes()
              + "), or a request of the largest size could never be sent");
    }
    atMost(
        "max-pending-requests-per-identity",
        l.maxPendingPerIdentity(),
        "max-pending-requests",
        l.maxPending(),
        file);
    atMost(
        "max-pending-bytes-per-identity",
        l.maxPendingBytesPerIdentity(),
        "max-pending-bytes",
        l.maxPendingBytes(),
        file);
  }

  /** One identity's share must not exceed what the gateway holds in all. */
  private static void atMost(
      final String share, final long value, final String all, final long bound, final Path file) {
    if (value > bound) {
      throw invalid(
          file, "<" + share + "> (" + value + ") must not exceed <" + all + "> (" + bound + ")");
    }
  }

  private static int asInt(final String name, final long value, final Path file) {
    if (value > Integer.MAX_VALUE) {
      throw invalid(file, "<" + name + "> is too large: " + value);
    }
    return (int) value;
  }

  private static ConfigReader.InvalidConfigException invalid(final Path file, final String why) {
    return new ConfigReader.InvalidConfigException(file + ": " + why);
  }
}
