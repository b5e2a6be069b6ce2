package io.troupe.router.internal.devices;

import java.time.Duration;

/**
 * How fast one server answers, as TCP estimates a round trip (RFC 6298): a smoothed answer time and
 * its mean deviation, from which the server's forward timeout follows. Also when it last answered
 * anything, which tells a server working through its queue from one that went silent. Not
 * thread-safe: used under the router's lock.
 */
public final class Latency {

  /**
   * The shortest forward timeout, however fast the server: a garbage collection or a scheduling
   * hiccup on the device must not look like a dead server, nor a request that takes a while on a
   * server that answers others fast. RFC 6298's floor for a retransmission timeout.
   */
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

  private double smoothedMs;
  private double deviationMs;
  private long samples;
  private long lastAnswerMs = -1;
  private long lastHeardMs = -1;

  /** An answer that took {@code elapsedMs}, arriving at {@code nowMs}. */
  public void sample(final long elapsedMs, final long nowMs) {
    final double r = Math.max(0, elapsedMs);
    if (samples == 0) {
      smoothedMs = r;
      deviationMs = r / 2;
    } else {
      deviationMs = 0.75 * deviationMs + 0.25 * Math.abs(smoothedMs - r);
      smoothedMs = 0.875 * smoothedMs + 0.125 * r;
    }
    samples++;
    answered(nowMs);
  }

  /** It answered something at {@code nowMs} (a probe, a refusal) without a time worth sampling. */
  public void answered(final long nowMs) {
    lastAnswerMs = Math.max(lastAnswerMs, nowMs);
  }

  /**
   * It reported itself up at {@code nowMs} (a status): alive, though that says nothing of speed.
   */
  public void heard(final long nowMs) {
    lastHeardMs = Math.max(lastHeardMs, nowMs);
  }

  /** A new connection: possibly a new process, cold again; what was measured no longer holds. */
  public void reset() {
    smoothedMs = 0;
    deviationMs = 0;
    samples = 0;
    lastAnswerMs = -1;
    lastHeardMs = -1;
  }

  /**
   * The forward timeout: smoothed time plus four deviations, within [{@link #MIN_TIMEOUT}, {@code
   * max}]; {@code max} itself until the server has answered once, since a server that never served
   * may be slow on its first request.
   */
  public Duration timeout(final Duration max) {
    final long maxMs = max.toMillis();
    if (samples == 0) {
      return max;
    }
    final long rto = (long) Math.ceil(smoothedMs + 4 * deviationMs);
    return Duration.ofMillis(Math.min(maxMs, Math.max(MIN_TIMEOUT.toMillis(), rto)));
  }

  /** Whether it answered anything after {@code sinceMs}: it is alive and working. */
  public boolean answeredSince(final long sinceMs) {
    return lastAnswerMs >= 0 && lastAnswerMs > sinceMs;
  }

  /**
   * Whether it showed any sign of life after {@code sinceMs}: an answer, or a status saying it is
   * up. A server holding one long request and nothing else to answer is alive, not gone.
   */
  public boolean aliveSince(final long sinceMs) {
    return answeredSince(sinceMs) || (lastHeardMs >= 0 && lastHeardMs > sinceMs);
  }

  /** When it last answered anything; -1 if never on this connection. */
  public long lastAnswerMs() {
    return lastAnswerMs;
  }

  public boolean measured() {
    return samples > 0;
  }

  /** The smoothed answer time in milliseconds; 0 before the first sample. */
  public double smoothedMs() {
    return smoothedMs;
  }
}
