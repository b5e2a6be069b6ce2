package io.troupe.agent.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes, rates and windows in the words people use, read and written: {@code 50KB}, {@code 1GiB},
 * {@code 100KB/s}, {@code 24h}. A kilobyte is 1,024 bytes whether written KB or KiB (the gateway's
 * own refusals count 50 KB as 51,200 bytes), and output always says KiB, MiB, GiB so that nobody
 * has to guess.
 */
final class Units {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?");
  private static final Pattern WINDOW = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB"};

  private Units() {}

  /**
   * Bytes of a size such as {@code 51200}, {@code 50KB}, {@code 1.5MiB}, {@code 1GiB} (case does
   * not matter; a bare number is bytes).
   *
   * @throws TypeConversionException naming the value, when it is no such size, zero, or over 2^63
   */
  static long size(final String value) {
    final Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a size such as 51200, 50KB, 50MB or 1GiB");
    }
    final double bytes = Double.parseDouble(m.group(1)) * multiplier(m.group(2));
    if (bytes >= 0x1p63) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    final long whole = (long) Math.ceil(bytes);
    if (whole <= 0) {
      throw new TypeConversionException("a size must be positive: '" + value + "'");
    }
    return whole;
  }

  /**
   * Bytes per second of a rate such as {@code 100KB/s} or {@code 1MiB/s} ({@code /s} may be left
   * out).
   *
   * @throws TypeConversionException naming the value, when it is no such rate or zero
   */
  static long rate(final String value) {
    final String trimmed = value.trim();
    final String size =
        trimmed.toLowerCase(Locale.ROOT).endsWith("/s")
            ? trimmed.substring(0, trimmed.length() - 2)
            : trimmed;
    try {
      return size(size);
    } catch (final TypeConversionException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a positive rate such as 100KB/s or 1MiB/s");
    }
  }

  /**
   * A rolling window in whole seconds: {@code 10s}, {@code 5m}, {@code 24h}, {@code 1d}; a bare
   * number is seconds.
   *
   * @throws TypeConversionException naming the value, when it is no such duration or zero
   */
  static Duration window(final String value) {
    final Matcher m = WINDOW.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a window such as 10s, 5m, 24h or 1d");
    }
    final long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (final NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is too long");
    }
    final String unit = m.group(2) == null ? "s" : m.group(2);
    final Duration d =
        switch (unit) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) {
      throw new TypeConversionException("a window must be positive: '" + value + "'");
    }
    return d;
  }

  private static double multiplier(final String unit) {
    if (unit == null || unit.equals("b")) {
      return 1;
    }
    return switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1L << 40;
    };
  }

  /** {@code 512 B}, {@code 50 KiB}, {@code 1.5 MiB}: at most one decimal, trailing .0 dropped. */
  static String bytes(final long bytes) {
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < BINARY.length - 1) {
      value /= 1024;
      unit++;
    }
    return number(value) + " " + BINARY[unit];
  }

  /** {@code 100 KiB/s}. */
  static String perSecond(final long bytesPerSecond) {
    return bytes(bytesPerSecond) + "/s";
  }

  /**
   * {@code 45 s}, {@code 10 min}, {@code 24 h}, {@code 2 d}, {@code 1 h 30 min}: the two largest.
   */
  static String duration(final Duration d) {
    final long seconds = Math.max(0, (d.toMillis() + 999) / 1000);
    if (seconds < 60) {
      return seconds + " s";
    }
    final long[] amounts = {
      seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60
    };
    final String[] names = {"d", "h", "min", "s"};
    int first = 0;
    while (amounts[first] == 0) {
      first++;
    }
    final StringBuilder text = new StringBuilder().append(amounts[first]).append(' ');
    text.append(names[first]);
    if (first + 1 < amounts.length && amounts[first + 1] > 0) {
      text.append(' ').append(amounts[first + 1]).append(' ').append(names[first + 1]);
    }
    return text.toString();
  }

  /** {@code 1.5}, {@code 2}: one decimal at most. */
  static String number(final double value) {
    final String text = String.format(Locale.ROOT, "%.1f", value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /** {@code --quota 50MB}. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(final String value) {
      return size(value);
    }
  }

  /** {@code --bandwidth 100KB/s}. */
  static final class RateConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(final String value) {
      return rate(value);
    }
  }

  /** {@code --window 24h}. */
  static final class WindowConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(final String value) {
      return window(value);
    }
  }
}
