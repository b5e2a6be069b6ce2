package io.troupe.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Sends a bounded number of requests with a fixed number in flight and measures them. */
final class LoadRun {

  /** One run's figures; failures counted by kind ("status 503", "no answer in 10 s", ...). */
  record Result(
      String path,
      int inFlight,
      int requests,
      Map<String, Integer> failuresByKind,
      double seconds,
      long p50Nanos,
      long p99Nanos) {

    Result {
      failuresByKind = Map.copyOf(failuresByKind);
    }

    /** Calls not served. */
    int failures() {
      return failuresByKind.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Calls served per second of the run (a failed call adds nothing). */
    double perSecond() {
      return (requests - failures()) / seconds;
    }

    double p50Millis() {
      return p50Nanos / 1e6;
    }

    double p99Millis() {
      return p99Nanos / 1e6;
    }

    /** "status 503: 12, no answer in 10 s: 1", sorted by kind; empty when every call was served. */
    String failureKinds() {
      return new TreeMap<>(failuresByKind).toString().replaceAll("[{}]", "").replace('=', ':');
    }
  }

  private LoadRun() {}

  /**
   * Runs {@code requests} calls of {@code call}, at most {@code inFlight} at a time. A call is
   * served when its future completes normally (an MQTT call only on a 2xx answer: see {@link
   * Requester#serve}); one that fails or takes over 10 s is a failure, counted by its kind.
   */
  static Result run(
      final String path,
      final int inFlight,
      final int requests,
      final Supplier<CompletableFuture<?>> call)
      throws InterruptedException {
    final long[] latencies = new long[requests];
    final Semaphore slots = new Semaphore(inFlight);
    final Map<String, Integer> failures = new ConcurrentHashMap<>();
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
                  failures.merge(kind(error), 1, Integer::sum);
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
        failures,
        seconds,
        latencies[requests / 2],
        latencies[(int) Math.min(requests - 1, Math.ceil(requests * 0.99) - 1)]);
  }

  /** The kind a failure is counted under: the status of a refusal, else what went wrong. */
  static String kind(final Throwable error) {
    final Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Requester.Refused refused) {
      return "status " + refused.status();
    }
    if (cause instanceof TimeoutException) {
      return "no answer in 10 s";
    }
    final String message = cause.getMessage();
    // a CoAP caller fails with the response code first ("4.04 NOT_FOUND ..."): count by the code
    return message == null || message.isBlank()
        ? cause.getClass().getSimpleName()
        : message.split(" ", 2)[0];
  }
}
