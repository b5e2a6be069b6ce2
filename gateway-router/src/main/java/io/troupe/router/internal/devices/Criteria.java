package io.troupe.router.internal.devices;

import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.router.StatusLimits;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether a server is inside the availability criteria it reported (R9), judged against the metrics
 * of the same status and the router's clock. An empty field places no restriction. A metric the
 * criteria need but the status lacks counts as not met: a server that asks for a LAN and reports no
 * network type is not known to be on one.
 *
 * <p>Everything but the time windows depends on the status alone, so it is judged once, when the
 * status arrives ({@link #of}); a decision then reads that verdict and the windows, whose zones are
 * resolved and days folded into a mask in advance. What a decision reads of a status is so bounded
 * by {@link StatusLimits#maxWindows()}, whatever else the device sent.
 */
public final class Criteria {

  private static final int MINUTES_PER_DAY = 24 * 60;

  /** Checks decisions made: a verdict read or a window tested, one each. See {@link #checks()}. */
  private static final LongAdder CHECKS = new LongAdder();

  /** No restriction: the criteria of a server that has not reported. */
  static final Criteria NONE = new Criteria(Optional.empty(), List.of());

  /** The first criterion the status's own metrics fail, whatever the time. */
  private final Optional<String> fixed;

  private final List<Window> windows;

  private Criteria(final Optional<String> fixed, final List<Window> windows) {
    this.fixed = fixed;
    this.windows = windows;
  }

  /** {@code criteria} judged against {@code metrics} of the same status. */
  static Criteria of(final AvailabilityCriteria criteria, final Metrics metrics) {
    return new Criteria(
        fixedViolation(criteria, metrics),
        criteria.getWindowsList().stream().map(Window::of).toList());
  }

  /** The first criterion {@code metrics} or {@code now} fails, or empty when all hold. */
  public static Optional<String> violation(
      final AvailabilityCriteria criteria, final Metrics metrics, final Instant now) {
    return of(criteria, metrics).violation(now);
  }

  /**
   * Whether a criterion fails whatever the time: one the status's own metrics fail, judged when it
   * arrived. Such a server stays outside its criteria until it reports again.
   */
  public boolean failsAtAnyTime() {
    return fixed.isPresent();
  }

  /** The first criterion that fails at {@code now}, or empty when all hold. */
  public Optional<String> violation(final Instant now) {
    CHECKS.increment();
    if (windows.isEmpty()) {
      return fixed;
    }
    for (final Window w : windows) {
      CHECKS.increment();
      if (w.contains(now)) {
        return fixed;
      }
    }
    return Optional.of("outside its time windows");
  }

  /**
   * Checks routing decisions have made of criteria since the JVM started: one per verdict read and
   * one per time window tested. Tests compare it before and after a decision to show that the work
   * a decision does under the routing lock does not grow with what a device sends.
   */
  public static long checks() {
    return CHECKS.sum();
  }

  private static Optional<String> fixedViolation(
      final AvailabilityCriteria criteria, final Metrics metrics) {
    if (criteria.getAreasCount() > 0
        && !criteria.getAreasList().contains(metrics.getLocation().getArea())) {
      return Optional.of("area '" + metrics.getLocation().getArea() + "' not in its areas");
    }
    final NetworkType worst = criteria.getWorstNetwork();
    if (worst != NetworkType.NETWORK_TYPE_UNSPECIFIED) {
      final NetworkType on = metrics.getNetworkType();
      if (on == NetworkType.NETWORK_TYPE_UNSPECIFIED
          || on == NetworkType.UNRECOGNIZED
          || on.getNumber() > worst.getNumber()) {
        return Optional.of("network " + on + " worse than " + worst);
      }
    }
    if (metrics.getLink().getBandwidthKbps() < criteria.getMinBandwidthKbps()) {
      return Optional.of(
          "bandwidth "
              + metrics.getLink().getBandwidthKbps()
              + " kbps below "
              + criteria.getMinBandwidthKbps());
    }
    if (!metrics.getCharging() && metrics.getBatteryPercent() < criteria.getMinBatteryPercent()) {
      return Optional.of(
          "battery "
              + metrics.getBatteryPercent()
              + "% below "
              + criteria.getMinBatteryPercent()
              + "% and not charging");
    }
    if (metrics.getMemoryFreeBytes() < criteria.getMinMemoryFreeBytes()) {
      return Optional.of(
          "free memory "
              + metrics.getMemoryFreeBytes()
              + " bytes below "
              + criteria.getMinMemoryFreeBytes());
    }
    if (criteria.getRequiredComponentsCount() > 0) {
      final Set<String> installed = new HashSet<>(metrics.getComponentsList());
      for (final String component : criteria.getRequiredComponentsList()) {
        if (!installed.contains(component)) {
          return Optional.of("component '" + component + "' missing");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code now} falls in the weekly window, in the window's time zone (UTC when empty; an
   * unknown zone matches nothing). Start is inclusive and end exclusive; an end at or before the
   * start runs past midnight into the next day, and the days name the day the window starts on; a
   * window whose start equals its end covers the whole day.
   */
  static boolean inWindow(final TimeWindow w, final Instant now) {
    return Window.of(w).contains(now);
  }

  /**
   * A time window made ready for decisions: its zone resolved (null when unknown, which matches
   * nothing) and its days as a mask, bit {@code d} for ISO day {@code d} (0 for every day).
   */
  private record Window(ZoneId zone, int days, int start, int end) {

    static Window of(final TimeWindow w) {
      ZoneId zone;
      try {
        zone = w.getTimeZone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(w.getTimeZone());
      } catch (final DateTimeException e) {
        zone = null;
      }
      int days = 0;
      for (final int d : w.getDaysList()) {
        // A day outside 1..7 names no day: a window of only such days matches none.
        days |= d >= 1 && d <= 7 ? 1 << d : 1;
      }
      return new Window(
          zone,
          days,
          Math.min(w.getStartMinute(), MINUTES_PER_DAY),
          Math.min(w.getEndMinute(), MINUTES_PER_DAY));
    }

    boolean contains(final Instant now) {
      if (zone == null) {
        return false;
      }
      final ZonedDateTime local = now.atZone(zone);
      final int minute = local.getHour() * 60 + local.getMinute();
      final int today = local.getDayOfWeek().getValue();
      final int yesterday = today == 1 ? 7 : today - 1;
      if (start == end) {
        return onDay(today);
      }
      if (start < end) {
        return minute >= start && minute < end && onDay(today);
      }
      return (minute >= start && onDay(today)) || (minute < end && onDay(yesterday));
    }

    private boolean onDay(final int isoDay) {
      return days == 0 || (days & (1 << isoDay)) != 0;
    }
  }
}
