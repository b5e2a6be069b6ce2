package io.troupe.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Waits for a condition a benchmark cannot be told of, checking it every few milliseconds. */
final class Poll {

  /** A condition that may need I/O to check. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  private static final long EVERY_MS = 10;

  private Poll() {}

  /**
   * Returns as soon as {@code check} holds.
   *
   * @throws TimeoutException naming {@code what} if it does not hold within {@code within}
   */
  static void until(final String what, final Duration within, final Check check) throws Exception {
    final long deadline = System.nanoTime() + within.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(EVERY_MS);
    }
  }
}
