package io.troupe.bench;

import java.util.ArrayList;
import java.util.List;

/** The table of runs and the paired ratios every benchmark prints. */
final class BenchReport {

  private BenchReport() {}

  /**
   * One line per run: path, in flight, calls served per second, p50, p99, failures; then the
   * failures of each run that had some, by status or kind, and a summary line that says whether
   * every call was served.
   */
  static void table(final List<LoadRun.Result> results) {
    final int width =
        Math.max(7, results.stream().mapToInt(r -> r.path().length()).max().orElse(0));
    final String label = "%-" + width + "s";
    System.out.printf(
        label + " %9s %11s %9s %9s %9s%n",
        "path",
        "in flight",
        "served/s",
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
    System.out.println(summary(results));
  }

  /**
   * "every call served (n calls)" or "FAILED: f of n calls not served" followed by each failing
   * run's failures by kind.
   */
  static String summary(final List<LoadRun.Result> results) {
    final int calls = results.stream().mapToInt(LoadRun.Result::requests).sum();
    final int failed = results.stream().mapToInt(LoadRun.Result::failures).sum();
    if (failed == 0) {
      return "every call served (" + calls + " calls)";
    }
    final StringBuilder s =
        new StringBuilder("FAILED: " + failed + " of " + calls + " calls not served");
    for (final LoadRun.Result r : results) {
      if (r.failures() > 0) {
        s.append(
            String.format("%n  %s, %d in flight: %s", r.path(), r.inFlight(), r.failureKinds()));
      }
    }
    return s.toString();
  }

  /**
   * The rounds of the runs at {@code inFlight} whose path starts with {@code prefix}: the n-th run
   * whose path ends in {@code other} paired with the n-th whose path ends in {@code direct},
   * whichever of the two ran first in its round.
   */
  static PairedRatios pairs(
      final List<LoadRun.Result> results,
      final String prefix,
      final String other,
      final int inFlight) {
    final List<LoadRun.Result> bases = new ArrayList<>();
    final List<LoadRun.Result> others = new ArrayList<>();
    for (final LoadRun.Result r : results) {
      if (r.inFlight() != inFlight || !r.path().startsWith(prefix)) {
        continue;
      }
      if (r.path().endsWith("direct")) {
        bases.add(r);
      } else if (r.path().endsWith(other)) {
        others.add(r);
      }
    }
    final PairedRatios ratios = new PairedRatios();
    for (int i = 0; i < Math.min(bases.size(), others.size()); i++) {
      ratios.add(bases.get(i), others.get(i));
    }
    return ratios;
  }
}
