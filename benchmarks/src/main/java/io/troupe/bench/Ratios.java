package io.troupe.bench;

import java.util.List;
import java.util.function.Function;

/**
 * Ratios of one side's transfers to its baseline's in the same round, for time and for bytes,
 * summarised as median and worst (the highest: more time or more bytes is worse), never best.
 */
final class Ratios {

  private Ratios() {}

  /**
   * "time median a worst b; bytes median c worst d (n paired rounds)" over the rounds where both
   * transfers completed.
   */
  static <R> String of(
      final List<R> rounds,
      final Function<R, SyncBenchmark.Transfer> side,
      final Function<R, SyncBenchmark.Transfer> baseline) {
    final List<R> paired =
        rounds.stream().filter(r -> side.apply(r).ok() && baseline.apply(r).ok()).toList();
    if (paired.isEmpty()) {
      return "no paired rounds completed";
    }
    final double[] time =
        paired.stream()
            .mapToDouble(r -> side.apply(r).millis() / baseline.apply(r).millis())
            .sorted()
            .toArray();
    final double[] bytes =
        paired.stream()
            .mapToDouble(r -> (double) side.apply(r).bytes() / baseline.apply(r).bytes())
            .sorted()
            .toArray();
    return String.format(
        "time median %.2f worst %.2f; bytes median %.2f worst %.2f (%d paired rounds)",
        median(time), time[time.length - 1], median(bytes), bytes[bytes.length - 1], paired.size());
  }

  static double median(final double[] sorted) {
    final int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
