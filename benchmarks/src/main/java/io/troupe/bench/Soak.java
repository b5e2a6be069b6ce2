package io.troupe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One soak run: every consumer sends one request a second (their first seconds spread over the
 * first second) for a given time; then every answer is waited for up to 15 s. An answer with a 2xx
 * status ({@link Requester#status}: the direct path's echo sets none, which reads 200) is answered;
 * 504 and other statuses are counted apart; no answer at all is lost.
 */
final class Soak {

  private static final byte[] BODY = new byte[64];

  /** One run's figures; latencies of the answered requests. */
  record Result(
      String path,
      int sent,
      int answered,
      int timeouts,
      int otherFailures,
      int lost,
      long[] sorted) {

    double p50Ms() {
      return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2] / 1e6;
    }

    double p99Ms() {
      return sorted.length == 0
          ? Double.NaN
          : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
    }

    String line() {
      return String.format(
          "%-12s %8d %9d %6d %7d %6d %9.2f %9.2f",
          path, sent, answered, timeouts, otherFailures, lost, p50Ms(), p99Ms());
    }
  }

  private Soak() {}

  static String header() {
    return String.format(
        "%-12s %8s %9s %6s %7s %6s %9s %9s",
        "path", "sent", "answered", "504", "other", "lost", "p50 ms", "p99 ms");
  }

  static Result run(
      final String path,
      final List<Requester> consumers,
      final int seconds,
      final ScheduledExecutorService timer)
      throws InterruptedException {
    final List<long[]> latencies = new ArrayList<>();
    final List<CompletableFuture<?>> all = new ArrayList<>();
    final AtomicInteger timeouts = new AtomicInteger();
    final AtomicInteger others = new AtomicInteger();
    final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    for (final Requester consumer : consumers) {
      final long offset = ThreadLocalRandom.current().nextLong(1_000);
      final int[] left = {seconds};
      schedules.add(
          timer.scheduleAtFixedRate(
              () -> {
                if (left[0]-- <= 0) {
                  return;
                }
                final long sent = System.nanoTime();
                final long[] slot = {-1};
                // the counted future: waiting for it waits for the counting too
                final CompletableFuture<Void> f =
                    consumer
                        .call(BODY)
                        .thenAccept(
                            m -> {
                              final int status = Requester.status(m);
                              if (status >= 200 && status <= 299) {
                                slot[0] = System.nanoTime() - sent;
                              } else if (status == 504) {
                                timeouts.incrementAndGet();
                              } else {
                                others.incrementAndGet();
                              }
                            });
                synchronized (all) {
                  all.add(f);
                  latencies.add(slot);
                }
              },
              offset,
              1_000,
              TimeUnit.MILLISECONDS));
    }
    Thread.sleep(seconds * 1_000L + 1_000);
    schedules.forEach(s -> s.cancel(false));
    final List<CompletableFuture<?>> sent;
    synchronized (all) {
      sent = List.copyOf(all);
    }
    int lost = 0;
    final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (final CompletableFuture<?> f : sent) {
      try {
        f.get(Math.max(1, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (final Exception e) {
        lost++;
      }
    }
    final long[] answered;
    synchronized (all) {
      answered = latencies.stream().mapToLong(s -> s[0]).filter(v -> v >= 0).sorted().toArray();
    }
    final Result r =
        new Result(
            path, sent.size(), answered.length, timeouts.get(), others.get(), lost, answered);
    System.out.println(header());
    System.out.println(r.line());
    return r;
  }
}
