package io.troupe.agent.cli;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageReport;
import io.troupe.proto.v1.UsageRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Access policies and usage as people read them: sizes in KiB/MiB/GiB, rates per second, windows
 * and waits in seconds, minutes, hours and days, {@code -} for a limit not set.
 */
final class PolicyText {

  private static final String NONE = "-";

  private PolicyText() {}

  /** {@code gateway}, {@code community}, {@code service}, {@code server}. */
  static String scope(final PolicyScope scope) {
    return scope.name().toLowerCase(Locale.ROOT);
  }

  /** {@code service echo.demo}, {@code gateway}. */
  static String scopeAndTarget(final PolicyScope scope, final String target) {
    return target.isEmpty() ? scope(scope) : scope(scope) + " " + target;
  }

  /** A row per policy, aligned columns; a line saying so when there is none. */
  static String policies(final List<AccessPolicy> policies) {
    if (policies.isEmpty()) {
      return "no access policy set\n";
    }
    final List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("SCOPE", "TARGET", "BANDWIDTH", "QUOTA", "CONNECTIONS", "RATIO"));
    for (final AccessPolicy p : policies) {
      rows.add(
          List.of(
              scope(p.getScope()),
              p.getTarget().isEmpty() ? NONE : p.getTarget(),
              p.getBandwidthBytesPerSecond() == 0
                  ? NONE
                  : Units.perSecond(p.getBandwidthBytesPerSecond()).replace(" ", ""),
              p.getQuotaBytes() == 0
                  ? NONE
                  : (Units.bytes(p.getQuotaBytes())
                          + "/"
                          + Units.duration(Duration.ofSeconds(p.getQuotaWindowSeconds())))
                      .replace(" ", ""),
              p.getMaxConnections() == 0 ? NONE : Integer.toString(p.getMaxConnections()),
              p.getMaxTransferRatio() == 0 ? NONE : Units.number(p.getMaxTransferRatio())));
    }
    return TableCommand.columns(rows);
  }

  /**
   * Each policy that applies to the identity, then a line per limit it sets: what is used, what is
   * left, and when a used-up quota frees up, counted from {@code nowMs}.
   */
  static String usage(final UsageReport report, final long nowMs) {
    final StringBuilder text = new StringBuilder();
    if (report.getRowsCount() == 0) {
      return text.append("no access policy applies to ")
          .append(report.getIdentity())
          .append(": no limits\n")
          .toString();
    }
    text.append("limits that apply to ").append(report.getIdentity()).append(":\n");
    for (final UsageRow row : report.getRowsList()) {
      text.append(scopeAndTarget(row.getScope(), row.getTarget())).append('\n');
      limits(row, nowMs).forEach(line -> text.append("  ").append(line).append('\n'));
    }
    return text.toString();
  }

  /** The lines of one policy's limits, in the order quota, bandwidth, connections, ratio. */
  static List<String> limits(final UsageRow row, final long nowMs) {
    final List<String> lines = new ArrayList<>();
    if (row.getQuotaBytes() > 0) {
      lines.add(quota(row, nowMs));
    }
    if (row.getBandwidthBytesPerSecond() > 0) {
      lines.add(
          "bandwidth    "
              + Units.perSecond(row.getBandwidthBytesPerSecond())
              + ": requests beyond it wait their turn, refused only when their deadline cannot"
              + " allow it");
    }
    if (row.getMaxConnections() > 0) {
      final boolean sessions =
          row.getScope() == PolicyScope.GATEWAY || row.getScope() == PolicyScope.COMMUNITY;
      lines.add(
          (sessions ? "connections  " : "in flight    ")
              + row.getConnections()
              + " of "
              + row.getMaxConnections()
              + (sessions ? " sessions open, " : " requests at once, ")
              + Math.max(0, row.getMaxConnections() - row.getConnections())
              + " left");
    }
    if (row.getMaxTransferRatio() > 0) {
      lines.add(ratio(row));
    }
    if (lines.isEmpty()) {
      lines.add("no limits");
    }
    return lines;
  }

  private static String quota(final UsageRow row, final long nowMs) {
    final long used = row.getBytesReceived() + row.getBytesSent();
    final long left = Math.max(0, row.getQuotaBytes() - used);
    final StringBuilder line =
        new StringBuilder("quota        ")
            .append(Units.bytes(row.getQuotaBytes()))
            .append(" per ")
            .append(Units.duration(Duration.ofSeconds(row.getQuotaWindowSeconds())))
            .append(": used ")
            .append(Units.bytes(used))
            .append(" (")
            .append(Units.bytes(row.getBytesReceived()))
            .append(" sent by you, ")
            .append(Units.bytes(row.getBytesSent()))
            .append(" to you), ");
    if (left == 0 || row.getFreesAtMs() > 0) {
      line.append("used up");
    } else {
      line.append(Units.bytes(left)).append(" left");
    }
    if (row.getFreesAtMs() > 0) {
      line.append(", frees in ")
          .append(Units.duration(Duration.ofMillis(Math.max(0, row.getFreesAtMs() - nowMs))));
    }
    return line.toString();
  }

  private static String ratio(final UsageRow row) {
    final String now =
        row.getBytesSent() == 0
            ? (row.getBytesReceived() == 0 ? "0" : "no bytes sent to you yet")
            : Units.number((double) row.getBytesReceived() / row.getBytesSent());
    return "ratio        at most "
        + Units.number(row.getMaxTransferRatio())
        + " bytes sent by you per byte sent to you: now "
        + now;
  }
}
