package io.troupe.router.internal.policy;

import io.troupe.proto.v1.AccessPolicy;

/**
 * One consumer's use of one policy: the bytes of its rolling window (when the policy has a quota or
 * a transfer ratio), when its bandwidth allows its next byte, and its requests in flight. Not
 * thread-safe: the router's lock guards it.
 */
final class Meter {

  private RollingWindow window;

  /**
   * When the consumer's earlier bytes are through at the policy's bandwidth, in microseconds: at a
   * high rate a request's bytes take far less than a millisecond, and rounding each spend up to a
   * whole one capped every consumer at a thousand spends a second (500 calls, a request and its
   * answer each) whatever its threshold, holding requests a threshold of 1 TiB/s should never hold.
   */
  private long nextFreeMicros;

  private int inFlight;

  /** The window of {@code policy}, made (or remade at its new length) as needed. */
  RollingWindow window(final AccessPolicy policy, final long nowMs) {
    final long seconds = Math.max(1, policy.getQuotaWindowSeconds());
    if (window == null) {
      window = new RollingWindow(seconds);
    } else if (window.windowMs() != seconds * 1000) {
      final RollingWindow resized = new RollingWindow(seconds);
      resized.restore(window.toRecord(nowMs).build());
      window = resized;
    }
    return window;
  }

  /** The window, if the policy ever needed one. */
  RollingWindow windowOrNull() {
    return window;
  }

  static boolean windowed(final AccessPolicy policy) {
    return policy.getQuotaBytes() > 0 || policy.getMaxTransferRatio() > 0;
  }

  /** How long a request arriving at {@code nowMs} waits for the bandwidth: 0 when it need not. */
  long bandwidthWait(final long nowMs) {
    // whole milliseconds, rounded down: the router's clock reads milliseconds, so a debt of less
    // than one is within the clock's own error, and holding for it would round it up to one
    return Math.max(0, (nextFreeMicros - nowMs * 1_000) / 1_000);
  }

  /** {@code bytes} pass at {@code bytesPerSecond}, starting no earlier than {@code startMs}. */
  void spend(final long startMs, final long bytes, final long bytesPerSecond) {
    final long from = Math.max(startMs * 1_000, nextFreeMicros);
    nextFreeMicros = from + micros(bytes, bytesPerSecond);
  }

  /** {@code bytes} at {@code bytesPerSecond}, in microseconds rounded up. */
  static long micros(final long bytes, final long bytesPerSecond) {
    if (bytes <= Long.MAX_VALUE / 1_000_000) {
      return (bytes * 1_000_000 + bytesPerSecond - 1) / bytesPerSecond;
    }
    return (long) Math.ceil(bytes * 1e6 / bytesPerSecond);
  }

  int inFlight() {
    return inFlight;
  }

  void started() {
    inFlight++;
  }

  void finished() {
    if (inFlight > 0) {
      inFlight--;
    }
  }

  /** Whether nothing would be lost by forgetting this meter at {@code nowMs}. */
  boolean isIdle(final long nowMs) {
    return inFlight == 0
        && nextFreeMicros <= nowMs * 1_000
        && (window == null || window.isIdle(nowMs));
  }
}
