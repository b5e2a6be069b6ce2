package io.troupe.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Ratios of paired runs (one path against its baseline in the same round), summarised as the median
 * and the worst round, never the best. Paired rounds run in ABBA order ({@link #otherFirst}), so
 * that whatever drifts during a run (JIT, heap, the machine's other work) weighs on both sides.
 */
final class PairedRatios {

  /**
   * Rounds a paired benchmark runs unless told otherwise: an odd number, so a median is a round.
   */
  static final int DEFAULT_ROUNDS = 5;

  private final List<double[]> ratios = new ArrayList<>();

  /**
   * Whether round {@code round} (from 1) runs the measured path before its baseline: ABBA, that is
   * other-base, base-other, other-base...
   */
  static boolean otherFirst(final int round) {
    return round % 2 == 1;
  }

  /** Adds a round: {@code other} over {@code base} for throughput, p50 and p99. */
  void add(final LoadRun.Result base, final LoadRun.Result other) {
    ratios.add(
        new double[] {
          other.perSecond() / base.perSecond(),
          other.p50Millis() / base.p50Millis(),
          other.p99Millis() / base.p99Millis()
        });
  }

  int rounds() {
    return ratios.size();
  }

  /** The median throughput ratio. */
  double throughputMedian() {
    return median(0);
  }

  /** The worst (lowest) throughput ratio. */
  double throughputWorst() {
    return sorted(0)[0];
  }

  /**
   * "throughput median a worst b, p50 …, p99 …": worst is the lowest throughput, highest latency.
   */
  String summary() {
    if (ratios.isEmpty()) {
      return "no paired rounds";
    }
    return String.format(
        "throughput median %.2f worst %.2f; p50 median %.2f worst %.2f; p99 median %.2f worst %.2f"
            + " (%d paired rounds)",
        median(0), sorted(0)[0], median(1), max(1), median(2), max(2), ratios.size());
  }

  private double[] sorted(final int column) {
    return ratios.stream().mapToDouble(r -> r[column]).sorted().toArray();
  }

  private double median(final int column) {
    final double[] s = sorted(column);
    final int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private double max(final int column) {
    final double[] s = sorted(column);
    return s[s.length - 1];
  }
}
