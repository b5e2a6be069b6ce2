package io.troupe.router;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a request may wait for an answer, and how many requests and bytes may wait at once, per
 * identity and in all. A request waiting holds its body in the gateway's heap until it is answered:
 * without these bounds one consumer that sets a day-long message expiry on large requests to a
 * server that never answers holds the gateway's memory for a day.
 *
 * @param maxDeadline the longest deadline a request gets; a longer message expiry is clamped to it,
 *     and the consumer is answered 504 when it passes
 * @param maxPendingPerIdentity requests of one identity that may wait at once (past it: 429)
 * @param maxPendingBytesPerIdentity bytes of one identity's requests that may wait at once (429)
 * @param maxPending requests of everyone that may wait at once (past it: 503)
 * @param maxPendingBytes bytes of everyone's requests that may wait at once (503)
 */
public record InFlightLimits(
    Duration maxDeadline,
    int maxPendingPerIdentity,
    long maxPendingBytesPerIdentity,
    int maxPending,
    long maxPendingBytes) {

  public InFlightLimits {
    Objects.requireNonNull(maxDeadline, "maxDeadline");
    Preconditions.checkArgument(
        !maxDeadline.isNegative() && !maxDeadline.isZero(),
        "maxDeadline must be positive: %s",
        maxDeadline);
    Preconditions.checkArgument(
        maxPendingPerIdentity > 0,
        "maxPendingPerIdentity must be positive: %s",
        maxPendingPerIdentity);
    Preconditions.checkArgument(
        maxPendingBytesPerIdentity > 0,
        "maxPendingBytesPerIdentity must be positive: %s",
        maxPendingBytesPerIdentity);
    Preconditions.checkArgument(maxPending > 0, "maxPending must be positive: %s", maxPending);
    Preconditions.checkArgument(
        maxPendingBytes > 0, "maxPendingBytes must be positive: %s", maxPendingBytes);
  }

  /** The defaults of the shipped {@code conf/config.xml}. */
  public static InFlightLimits defaults() {
    return new InFlightLimits(Duration.ofSeconds(60), 1_000, 16L << 20, 20_000, 256L << 20);
  }

  public InFlightLimits withMaxDeadline(final Duration value) {
    return new InFlightLimits(
        value, maxPendingPerIdentity, maxPendingBytesPerIdentity, maxPending, maxPendingBytes);
  }

  public InFlightLimits withMaxPendingPerIdentity(final int value) {
    return new InFlightLimits(
        maxDeadline, value, maxPendingBytesPerIdentity, maxPending, maxPendingBytes);
  }

  public InFlightLimits withMaxPendingBytesPerIdentity(final long value) {
    return new InFlightLimits(
        maxDeadline, maxPendingPerIdentity, value, maxPending, maxPendingBytes);
  }

  public InFlightLimits withMaxPending(final int value) {
    return new InFlightLimits(
        maxDeadline, maxPendingPerIdentity, maxPendingBytesPerIdentity, value, maxPendingBytes);
  }

  public InFlightLimits withMaxPendingBytes(final long value) {
    return new InFlightLimits(
        maxDeadline, maxPendingPerIdentity, maxPendingBytesPerIdentity, maxPending, value);
  }
}
