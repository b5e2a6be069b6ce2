package io.troupe.bench;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Sends a bounded number of requests with a fixed number in flight and measures them. */
final class LoadRun {

  /** One run's figures. */
  record Result(
      String path,
      int inFlight,
      int requests,
      int failures,
      double seconds,
      long p50Nanos,
      long p99Nanos) {
    double perSecond() {
      return requests / seconds;
    }

    double p50Millis() {
      return p50Nanos / 1e6;
    }

    double p99Millis() {
      return p99Nanos / 1e6;
    }
  }

  private LoadRun() {}

  /**
   * Runs {@code requests} calls of {@code call}, at most {@code inFlight} at a time. A call's
   * future completes when its answer arrives; one that fails or takes over 10 s counts as a
   * failure.
   */
  static Result run(
      final String path,
      final int inFlight,
      final int requests,
      final Supplier<CompletableFuture<?>> call)
      throws InterruptedException {
    final long[] latencies = new long[requests];
    final Semaphore slots = new Semaphore(inFlight);
    final AtomicInteger failures = new AtomicInteger();
    final long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            path + ": no answer for 10 s with " + inFlight + " in flight");
      }
      final int index = i;
      final long sent = System.nanoTime();
      call.get()
          .orTimeout(10, TimeUnit.SECONDS)
          .whenComplete(
              (ok, error) -> {
                latencies[index] = System.nanoTime() - sent;
                if (error != null) {
                  failures.incrementAndGet();
                }
                slots.release();
              });
    }
    if (!slots.tryAcquire(inFlight, 15, TimeUnit.SECONDS)) {
      throw new IllegalStateException(path + ": answers missing at the end of the run");
    }
    final double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return new Result(
        path,
        inFlight,
        requests,
        failures.get(),
        seconds,
        latencies[requests / 2],
        latencies[(int) Math.min(requests - 1, Math.ceil(requests * 0.99) - 1)]);
  }
}
