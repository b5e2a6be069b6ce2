package io.troupe.router.internal.policy;

import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;

/**
 * A request an access policy refuses: 429 with a reason naming the limit and when it frees up, or
 * 503 when the gateway has no room left to meter the consumer.
 *
 * @param kind which limit refused it, for the metrics
 */
public record PolicyRefusal(RouterMetrics.PolicyLimit kind, Status status, String reason) {

  static PolicyRefusal limit(final RouterMetrics.PolicyLimit kind, final String reason) {
    return new PolicyRefusal(kind, Status.TOO_MANY_REQUESTS, reason);
  }

  /** In seconds, rounded up, how long until {@code atMs} from {@code nowMs}. */
  static long secondsUntil(final long atMs, final long nowMs) {
    return Math.max(1, (atMs - nowMs + 999) / 1000);
  }
}
