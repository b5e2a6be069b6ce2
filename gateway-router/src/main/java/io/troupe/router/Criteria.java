package io.troupe.router;

import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.TimeWindow;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Whether a server is inside the availability criteria it reported (R9), judged against the metrics
 * of the same status and the router's clock. An empty field places no restriction. A metric the
 * criteria need but the status lacks counts as not met: a server that asks for a LAN and reports no
 * network type is not known to be on one.
 */
final class Criteria {

  private static final int MINUTES_PER_DAY = 24 * 60;

  private Criteria() {}

  /** The first criterion {@code metrics} or {@code now} fails, or empty when all hold. */
  static Optional<String> violation(
      final AvailabilityCriteria criteria, final Metrics metrics, final Instant now) {
    if (criteria.getWindowsCount() > 0
        && criteria.getWindowsList().stream().noneMatch(w -> inWindow(w, now))) {
      return Optional.of("outside its time windows");
    }
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
    for (final String component : criteria.getRequiredComponentsList()) {
      if (!metrics.getComponentsList().contains(component)) {
        return Optional.of("component '" + component + "' missing");
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
    final ZoneId zone;
    try {
      zone = w.getTimeZone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(w.getTimeZone());
    } catch (final DateTimeException e) {
      return false;
    }
    final ZonedDateTime local = now.atZone(zone);
    final int minute = local.getHour() * 60 + local.getMinute();
    final int today = local.getDayOfWeek().getValue();
    final int yesterday = today == 1 ? 7 : today - 1;
    final int start = Math.min(w.getStartMinute(), MINUTES_PER_DAY);
    final int end = Math.min(w.getEndMinute(), MINUTES_PER_DAY);
    if (start == end) {
      return onDay(w, today);
    }
    if (start < end) {
      return minute >= start && minute < end && onDay(w, today);
    }
    return (minute >= start && onDay(w, today)) || (minute < end && onDay(w, yesterday));
  }

  private static boolean onDay(final TimeWindow w, final int isoDay) {
    return w.getDaysCount() == 0 || w.getDaysList().contains(isoDay);
  }
}
