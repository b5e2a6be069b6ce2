package io.troupe.router.internal.policy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageRow;
import io.troupe.router.StateChange.PolicyKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A consumer's usage as {@code ShowUsage} tells it: one row per policy that meters it. */
final class UsageRows {

  private UsageRows() {}

  static List<UsageRow> of(
      final PolicyBook book,
      final Map<PolicyKey, Meter> meters,
      final int sessions,
      final long nowMs) {
    final Map<PolicyKey, AccessPolicy> shown = new LinkedHashMap<>();
    book.get(PolicyScope.GATEWAY, "").ifPresent(p -> shown.put(PolicyKey.of(p), p));
    meters.keySet().stream()
        .sorted(
            java.util.Comparator.comparing((PolicyKey k) -> k.scope().getNumber())
                .thenComparing(PolicyKey::target))
        .forEach(k -> book.get(k).ifPresent(p -> shown.put(k, p)));
    final List<UsageRow> rows = new ArrayList<>(shown.size());
    shown.forEach(
        (key, p) -> rows.add(row(key, p, Optional.ofNullable(meters.get(key)), sessions, nowMs)));
    return rows;
  }

  private static UsageRow row(
      final PolicyKey key,
      final AccessPolicy p,
      final Optional<Meter> meter,
      final int sessions,
      final long nowMs) {
    final UsageRow.Builder row =
        UsageRow.newBuilder()
            .setScope(key.scope())
            .setTarget(key.target())
            .setQuotaBytes(p.getQuotaBytes())
            .setQuotaWindowSeconds(p.getQuotaWindowSeconds())
            .setBandwidthBytesPerSecond(p.getBandwidthBytesPerSecond())
            .setMaxConnections(p.getMaxConnections())
            .setMaxTransferRatio(p.getMaxTransferRatio());
    final boolean sessionsCounted =
        key.scope() == PolicyScope.GATEWAY || key.scope() == PolicyScope.COMMUNITY;
    row.setConnections(sessionsCounted ? sessions : meter.map(Meter::inFlight).orElse(0));
    final RollingWindow w = meter.map(Meter::windowOrNull).orElse(null);
    if (w != null && Meter.windowed(p)) {
      final RollingWindow now = meter.get().window(p, nowMs);
      row.setBytesReceived(now.received(nowMs)).setBytesSent(now.sent(nowMs));
      if (p.getQuotaBytes() > 0 && now.total(nowMs) >= p.getQuotaBytes()) {
        row.setFreesAtMs(now.freesAt(nowMs, p.getQuotaBytes() - 1));
      }
    }
    return row.build();
  }
}
