package io.troupe.agent.cli;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.TimeWindow;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code troupe agent} reads besides its flags: the agent config file ({@code --config FILE})
 * and the values of its criteria flags. Each reader refuses a bad value with one line that quotes
 * it.
 */
final class AgentConfig {

  private AgentConfig() {}

  /**
   * The flags an agent config file stands for, in the order of its keys. The file is a Java
   * properties file whose keys are the long names of {@code troupe agent}'s options without the
   * dashes ({@code id = dev1}, {@code service = echo, notes@home}); a repeatable option takes a
   * comma-separated list, a switch {@code true} or {@code false}. {@code config} itself may not
   * appear.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or has a bad key
   */
  static List<String> argsOf(final Path file) {
    final Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (final IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read agent config " + file + ": " + e.getMessage());
    }
    final List<String> args = new ArrayList<>();
    for (final String key : new TreeSet<>(p.stringPropertyNames())) {
      final String value = p.getProperty(key).trim();
      if (key.equals("config") || !key.matches("[a-z][a-z-]*")) {
        throw new IllegalArgumentException(
            "agent config " + file + ": '" + key + "' is not an option of troupe agent");
      }
      if (value.equalsIgnoreCase("true")) {
        args.add("--" + key);
      } else if (!value.equalsIgnoreCase("false")) {
        for (final String item : value.split(",")) {
          if (!item.isBlank()) {
            args.add("--" + key);
            args.add(item.trim());
          }
        }
      }
    }
    return args;
  }

  private static final Pattern WINDOW =
      Pattern.compile("(?:([A-Za-z0-9,\\-]+)/)?(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})(?:@(.+))?");

  /**
   * {@code [DAYS/]HH:MM-HH:MM[@ZONE]}: days as ISO numbers (1 Monday to 7 Sunday) or names ({@code
   * mon}, {@code tue}...), in lists and ranges ({@code mon-fri}, {@code 1,3,5}), every day when
   * left out; an end before the start runs past midnight; the zone an IANA one, UTC when left out.
   */
  static final class WindowConverter implements ITypeConverter<TimeWindow> {
    @Override
    public TimeWindow convert(final String value) {
      final Matcher m = WINDOW.matcher(value.trim());
      if (!m.matches()) {
        throw bad(value, "is not a time window such as mon-fri/08:00-17:00@Europe/Helsinki");
      }
      final int start = minute(value, m.group(2), m.group(3));
      final int end = minute(value, m.group(4), m.group(5));
      if (start == end || start == 24 * 60) {
        throw bad(value, "is an empty time window");
      }
      final TimeWindow.Builder w = TimeWindow.newBuilder().setStartMinute(start).setEndMinute(end);
      if (m.group(1) != null) {
        w.addAllDays(days(value, m.group(1)));
      }
      if (m.group(6) != null) {
        try {
          w.setTimeZone(ZoneId.of(m.group(6)).getId());
        } catch (final DateTimeException e) {
          throw bad(value, "names no time zone such as Europe/Helsinki");
        }
      }
      return w.build();
    }

    private static int minute(final String value, final String hours, final String minutes) {
      final int h = Integer.parseInt(hours);
      final int min = Integer.parseInt(minutes);
      if (min > 59 || h > 24 || (h == 24 && min > 0)) {
        throw bad(value, "has a time past 24:00");
      }
      return h * 60 + min;
    }

    private static List<Integer> days(final String value, final String text) {
      final TreeSet<Integer> days = new TreeSet<>();
      for (final String part : text.split(",")) {
        final String[] range = part.split("-", -1);
        if (range.length > 2) {
          throw bad(value, "has a bad range of days '" + part + "'");
        }
        final int from = day(value, range[0]);
        final int to = range.length == 2 ? day(value, range[1]) : from;
        for (int d = from; ; d = d % 7 + 1) {
          days.add(d);
          if (d == to) {
            break;
          }
        }
      }
      return List.copyOf(days);
    }

    private static int day(final String value, final String text) {
      final String t = text.trim().toUpperCase(Locale.ROOT);
      if (t.matches("[1-7]")) {
        return Integer.parseInt(t);
      }
      return Arrays.stream(DayOfWeek.values())
          .filter(d -> t.length() >= 2 && d.name().startsWith(t))
          .findFirst()
          .orElseThrow(() -> bad(value, "names no day '" + text + "' (mon..sun or 1..7)"))
          .getValue();
    }
  }

  /** {@code AREA=ROLE}: the role (primary, secondary, volunteer) taken for consumers in AREA. */
  static final class AreaRoleConverter implements ITypeConverter<AreaRole> {
    @Override
    public AreaRole convert(final String value) {
      final int eq = value.indexOf('=');
      if (eq <= 0 || eq == value.length() - 1) {
        throw bad(value, "is not AREA=ROLE such as office=primary");
      }
      final String role = value.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
      if (!List.of("PRIMARY", "SECONDARY", "VOLUNTEER").contains(role)) {
        throw bad(value, "names no role primary, secondary or volunteer");
      }
      return AreaRole.newBuilder()
          .setArea(value.substring(0, eq).trim())
          .setRole(ServerRole.valueOf(role))
          .build();
    }
  }

  /** LAN, WLAN or CELLULAR, in any case. */
  static final class NetworkConverter implements ITypeConverter<NetworkType> {
    @Override
    public NetworkType convert(final String value) {
      return known(value, NetworkType.class, List.of("LAN", "WLAN", "CELLULAR"));
    }
  }

  /** NAMED, ANONYMOUS_TO_CONSUMERS or ANONYMOUS_TO_ALL, in any case. */
  static final class AnonymityConverter implements ITypeConverter<Anonymity> {
    @Override
    public Anonymity convert(final String value) {
      return known(
          value, Anonymity.class, List.of("NAMED", "ANONYMOUS_TO_CONSUMERS", "ANONYMOUS_TO_ALL"));
    }
  }

  /** A battery level in percent, 0 to 100. */
  static final class PercentConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(final String value) {
      if (!value.trim().matches("\\d{1,3}") || Integer.parseInt(value.trim()) > 100) {
        throw bad(value, "is not a percentage from 0 to 100");
      }
      return Integer.parseInt(value.trim());
    }
  }

  private static <E extends Enum<E>> E known(
      final String value, final Class<E> type, final List<String> names) {
    final String name = value.trim().toUpperCase(Locale.ROOT);
    if (!names.contains(name)) {
      throw bad(value, "is not one of " + String.join(", ", names));
    }
    return Enum.valueOf(type, name);
  }

  private static TypeConversionException bad(final String value, final String why) {
    return new TypeConversionException("'" + value + "' " + why);
  }
}
