package io.troupe.extension.config;

import io.troupe.router.SyncLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads {@code <sync>}: how the gateway keeps the servers of synchronised services in step (R4).
 * Each element is optional; a present one must be a positive whole number.
 */
final class SyncConfigReader {

  static final String ELEMENT = "sync";

  private static final Set<String> NAMES =
      Set.of("sync-interval-seconds", "sync-fetches-per-service");

  private SyncConfigReader() {}

  /** {@code defaults} with the values {@code sync} sets. */
  static SyncLimits read(final Element sync, final SyncLimits defaults, final Path file) {
    SyncLimits limits = defaults;
    for (final Element e : ConfigReader.children(sync, NAMES, file)) {
      final long value = ConfigReader.positive(e, file);
      if (e.getTagName().equals("sync-interval-seconds")) {
        limits = new SyncLimits(Duration.ofSeconds(value), limits.fetchesPerService());
      } else if (value > Integer.MAX_VALUE) {
        throw new ConfigReader.InvalidConfigException(
            file + ": <" + e.getTagName() + "> is too large: " + value);
      } else {
        limits = new SyncLimits(limits.interval(), (int) value);
      }
    }
    return limits;
  }
}
