package io.troupe.bench;

import java.util.List;

/** The table of runs and the paired ratios every benchmark prints. */
final class BenchReport {

  private BenchReport() {}

  /** One line per run: path, in flight, requests per second, p50, p99, failures. */
  static void table(final List<LoadRun.Result> results) {
    final int width =
        Math.max(7, results.stream().mapToInt(r -> r.path().length()).max().orElse(0));
    final String label = "%-" + width + "s";
    System.out.printf(
        label + " %9s %11s %9s %9s %9s%n",
        "path",
        "in flight",
        "req/s",
        "p50 ms",
        "p99 ms",
        "failures");
    for (final LoadRun.Result r : results) {
      System.out.printf(
          label + " %9d %11.0f %9.2f %9.2f %9d%n",
          r.path(),
          r.inFlight(),
          r.perSecond(),
          r.p50Millis(),
          r.p99Millis(),
          r.failures());
    }
  }

  /**
   * The rounds of the runs at {@code inFlight} whose path starts with {@code prefix}: each run
   * whose path ends in {@code other} paired with the last run before it whose path ends in {@code
   * direct} (each round runs its baseline first).
   */
  static PairedRatios pairs(
      final List<LoadRun.Result> results,
      final String prefix,
      final String other,
      final int inFlight) {
    final PairedRatios ratios = new PairedRatios();
    LoadRun.Result direct = null;
    for (final LoadRun.Result r : results) {
      if (r.inFlight() != inFlight || !r.path().startsWith(prefix)) {
        continue;
      }
      if (r.path().endsWith("direct")) {
        direct = r;
      } else if (r.path().endsWith(other) && direct != null) {
        ratios.add(direct, r);
      }
    }
    return ratios;
  }
}
