package io.troupe.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Ratios of paired runs (one path against its baseline in the same round), summarised as the median
 * and the worst round, never the best.
 */
final class PairedRatios {

  private final List<double[]> ratios = new ArrayList<>();

  /** Adds a round: {@code other} over {@code base} for throughput, p50 and p99. */
  void add(final LoadRun.Result base, final LoadRun.Result other) {
    ratios.add(
        new double[] {
          other.perSecond() / base.perSecond(),
          other.p50Millis() / base.p50Millis(),
          other.p99Millis() / base.p99Millis()
        });
  }

  /**
   * "throughput median a worst b, p50 …, p99 …": worst is the lowest throughput, highest latency.
   */
  String summary() {
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
