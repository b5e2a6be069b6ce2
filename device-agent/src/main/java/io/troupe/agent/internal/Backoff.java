package io.troupe.agent.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delays between reconnection attempts: short, jittered, doubling to a small cap. The n-th delay is
 * drawn from [0.4, 1.0) of a ceiling that starts at {@code first} and doubles up to {@code cap}, so
 * devices that lost the same gateway do not all come back in the same millisecond, and a device on
 * a restarted gateway is back within about {@code cap} of it listening. Not thread-safe: one owner.
 */
public final class Backoff {

  /** 100-250 ms, then 200-500 ms, then 400 ms to 1 s for every later attempt. */
  public static final Duration FIRST = Duration.ofMillis(250);

  public static final Duration CAP = Duration.ofSeconds(1);

  private static final double LOWEST_SHARE = 0.4;

  private final long firstMs;
  private final long capMs;
  private final DoubleSupplier random;
  private long ceilingMs;

  /**
   * @param random uniform in [0, 1)
   */
  public Backoff(final Duration first, final Duration cap, final DoubleSupplier random) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "need 0 < first <= cap, got first " + first + " and cap " + cap);
    }
    this.firstMs = first.toMillis();
    this.capMs = cap.toMillis();
    this.random = random;
    this.ceilingMs = firstMs;
  }

  /** The agent's default: {@link #FIRST}, {@link #CAP}, thread-local randomness. */
  public static Backoff standard() {
    return new Backoff(FIRST, CAP, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The delay before the next attempt; each call doubles the ceiling, up to the cap. */
  public Duration next() {
    final long ceiling = ceilingMs;
    ceilingMs = Math.min(capMs, ceilingMs * 2);
    final double share = LOWEST_SHARE + (1 - LOWEST_SHARE) * random.getAsDouble();
    return Duration.ofMillis(Math.max(1, Math.round(ceiling * share)));
  }

  /** Back to the first, short delay: called once an attempt succeeded. */
  public void reset() {
    ceilingMs = firstMs;
  }
}
