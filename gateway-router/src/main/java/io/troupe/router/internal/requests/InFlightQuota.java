package io.troupe.router.internal.requests;

import io.troupe.router.ConsumerRequest;
import io.troupe.router.InFlightLimits;
import io.troupe.router.RouterConfig;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a request may wait for an answer, within its identity's share and the gateway's bound on
 * requests in flight, and how long it may wait. The counts come from {@link InFlightCounts}, so the
 * bounds hold whatever keeps them. Not thread-safe: {@link RequestRouter} calls it under the
 * router's lock.
 */
final class InFlightQuota {

  /** A request refused on arrival, with the bound that refused it. */
  record Refusal(RouterMetrics.PendingCap cap, Status status, String reason) {}

  /** A request's deadline, and whether the consumer asked for more than it got. */
  record Deadline(Duration value, boolean clamped) {}

  private final InFlightLimits limits;
  private final Duration defaultDeadline;
  private final InFlightCounts inFlight;

  /** Bounds of {@code config} on the requests {@code inFlight} holds. */
  InFlightQuota(final RouterConfig config, final InFlightCounts inFlight) {
    this.limits = config.inFlight();
    this.defaultDeadline = config.defaultDeadline();
    this.inFlight = inFlight;
  }

  /**
   * Empty when {@code request} may wait; otherwise 429 when its identity holds its share of
   * requests or bytes in flight, 503 when the gateway holds all it may. A request that would exceed
   * a bound by itself is refused as one that arrives when the bound is reached.
   */
  Optional<Refusal> admit(final ConsumerRequest request) {
    final String identity = request.principal().identity();
    final long size = request.size();
    if (inFlight.sizeOf(identity) >= limits.maxPendingPerIdentity()) {
      return refuse(
          RouterMetrics.PendingCap.IDENTITY_REQUESTS,
          Status.TOO_MANY_REQUESTS,
          "'"
              + identity
              + "' has "
              + limits.maxPendingPerIdentity()
              + " requests waiting for an answer, the most one identity may"
              + " (limits/max-pending-requests-per-identity); retry when some are answered");
    }
    if (inFlight.bytesOf(identity) + size > limits.maxPendingBytesPerIdentity()) {
      return refuse(
          RouterMetrics.PendingCap.IDENTITY_BYTES,
          Status.TOO_MANY_REQUESTS,
          "the requests of '"
              + identity
              + "' waiting for an answer would exceed "
              + limits.maxPendingBytesPerIdentity()
              + " bytes (limits/max-pending-bytes-per-identity); retry when some are answered");
    }
    if (inFlight.size() >= limits.maxPending()) {
      return refuse(
          RouterMetrics.PendingCap.REQUESTS,
          Status.UNAVAILABLE,
          "the gateway has "
              + limits.maxPending()
              + " requests waiting for an answer, the most it holds"
              + " (limits/max-pending-requests); retry later");
    }
    if (inFlight.bytes() + size > limits.maxPendingBytes()) {
      return refuse(
          RouterMetrics.PendingCap.BYTES,
          Status.UNAVAILABLE,
          "the requests waiting for an answer would exceed the "
              + limits.maxPendingBytes()
              + " bytes the gateway holds (limits/max-pending-bytes); retry later");
    }
    return Optional.empty();
  }

  /**
   * The deadline of {@code request}: its message expiry, or the default deadline when it has none,
   * never longer than {@link InFlightLimits#maxDeadline()}.
   */
  Deadline deadlineOf(final ConsumerRequest request) {
    final Duration asked =
        request.expiry().filter(d -> !d.isZero() && !d.isNegative()).orElse(defaultDeadline);
    return asked.compareTo(limits.maxDeadline()) > 0
        ? new Deadline(limits.maxDeadline(), true)
        : new Deadline(asked, false);
  }

  private static Optional<Refusal> refuse(
      final RouterMetrics.PendingCap cap, final Status status, final String reason) {
    return Optional.of(new Refusal(cap, status, reason));
  }
}
