package io.troupe.agent.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}; a bare number is seconds.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  @Override
  public Duration convert(final String value) {
    final Matcher m = FORM.matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration such as 500ms, 5s, 2m, 1h or 7d");
    }
    final long n = Long.parseLong(m.group(1));
    final String unit = m.group(2) == null ? "s" : m.group(2);
    final Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) {
      throw new TypeConversionException("a duration must be positive: '" + value + "'");
    }
    return d;
  }
}
