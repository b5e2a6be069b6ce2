package io.troupe.router.internal.policy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.router.RouterMetrics.PolicyLimit;
import io.troupe.router.Status;
import java.util.List;
import java.util.Optional;

/**
 * Whether one policy's limits let a consumer's request through, judged on the consumer's meter of
 * that policy, and the refusal's reason when they do not: the limit by name and value, whose it is,
 * and when it frees up.
 */
final class LimitChecks {

  private LimitChecks() {}

  /**
   * The limit of {@code x} a request of {@code size} bytes at {@code nowMs} would break: its quota
   * (bytes either way over the window, this request's included), its transfer ratio (bytes received
   * over bytes sent, as they stand before this request: the first request always passes), or its
   * count of concurrent requests (SERVICE and SERVER policies). Empty when none.
   */
  static Optional<PolicyRefusal> reached(
      final Charge.Metered x, final long size, final long nowMs) {
    final AccessPolicy p = x.policy();
    final String whose = PolicyBook.describe(x.key());
    if (p.getQuotaBytes() > 0) {
      final RollingWindow w = x.meter().window(p, nowMs);
      final long quota = p.getQuotaBytes();
      if (size > quota) {
        return Optional.of(
            PolicyRefusal.limit(
                PolicyLimit.QUOTA,
                "request of "
                    + size
                    + " bytes exceeds the quota of "
                    + quota
                    + " bytes per "
                    + p.getQuotaWindowSeconds()
                    + " s for "
                    + whose));
      }
      if (w.total(nowMs) + size > quota) {
        final long frees = w.freesAt(nowMs, quota - size);
        return Optional.of(
            PolicyRefusal.limit(
                PolicyLimit.QUOTA,
                "quota of "
                    + quota
                    + " bytes per "
                    + p.getQuotaWindowSeconds()
                    + " s for "
                    + whose
                    + " used up; frees in "
                    + PolicyRefusal.secondsUntil(frees, nowMs)
                    + " s"));
      }
    }
    final double ratio = p.getMaxTransferRatio();
    if (ratio > 0) {
      final RollingWindow w = x.meter().window(p, nowMs);
      final long in = w.received(nowMs);
      final long out = w.sent(nowMs);
      if (in > ratio * out) {
        final long frees = w.ratioFreesAt(nowMs, ratio);
        return Optional.of(
            PolicyRefusal.limit(
                PolicyLimit.RATIO,
                "transfer ratio of "
                    + ratio
                    + " for "
                    + whose
                    + " exceeded: "
                    + in
                    + " bytes received, "
                    + out
                    + " sent in the last "
                    + p.getQuotaWindowSeconds()
                    + " s; frees as answers arrive, or in "
                    + PolicyRefusal.secondsUntil(frees, nowMs)
                    + " s"));
      }
    }
    if (countsRequests(p) && x.meter().inFlight() >= p.getMaxConnections()) {
      return Optional.of(
          PolicyRefusal.limit(
              PolicyLimit.CONNECTIONS,
              "at most "
                  + p.getMaxConnections()
                  + " concurrent requests per consumer for "
                  + whose
                  + "; frees when one is answered"));
    }
    return Optional.empty();
  }

  /**
   * Whether {@code p} bounds a consumer's concurrent requests: {@code max_connections} of a SERVICE
   * or SERVER policy (of a GATEWAY or COMMUNITY one, it bounds sessions).
   */
  static boolean countsRequests(final AccessPolicy p) {
    return p.getMaxConnections() > 0
        && (p.getScope() == PolicyScope.SERVICE || p.getScope() == PolicyScope.SERVER);
  }

  /** The bandwidth would hold a request for {@code delayMs}, past its deadline. */
  static PolicyRefusal tooSlow(
      final List<Charge.Metered> metered, final long nowMs, final long delayMs) {
    Charge.Metered slowest = metered.get(0);
    for (final Charge.Metered x : metered) {
      if (x.policy().getBandwidthBytesPerSecond() > 0
          && x.meter().bandwidthWait(nowMs) >= slowest.meter().bandwidthWait(nowMs)) {
        slowest = x;
      }
    }
    return PolicyRefusal.limit(
        PolicyLimit.BANDWIDTH,
        "bandwidth of "
            + slowest.policy().getBandwidthBytesPerSecond()
            + " bytes/s for "
            + PolicyBook.describe(slowest.key())
            + " would hold this request past its deadline; frees in "
            + PolicyRefusal.secondsUntil(nowMs + delayMs, nowMs)
            + " s");
  }

  /** No room to meter another consumer. */
  static PolicyRefusal noRoom() {
    return new PolicyRefusal(
        PolicyLimit.QUOTA,
        Status.UNAVAILABLE,
        "the gateway meters as many consumers as it may (policies/max-metered-identities,"
            + " policies/max-meters-per-identity); retry later");
  }
}
