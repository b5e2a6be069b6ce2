package io.troupe.bench.jmh;

import io.troupe.proto.v1.RequestOrder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The JMH figures measured in CPU time of the measuring thread rather than wall time, in paired
 * rounds, for a machine shared with other work (where a descheduled thread makes wall time
 * meaningless): the decision cost at 10, 1,000 and 10,000 servers, taken in turn in every round,
 * with the ratio of 10,000 to 10 per round (median and worst), and the status ingest rate per CPU
 * second. Usage: {@code ./troupe bench jmh cpu [rounds]} (default 7).
 */
public final class CpuScaling {

  private static final int[] SIZES = {10, 1_000, 10_000};
  private static final long SLICE_NS = 150_000_000L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuScaling() {}

  public static void main(final String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 7, SIZES, SLICE_NS, 10_000);
  }

  /**
   * Measures decisions at {@code sizes} (the ratio is of the last to the first) and status ingest
   * at {@code ingestServers}, each figure in {@code rounds} slices of {@code sliceNs} CPU time.
   */
  static void run(final int rounds, final int[] sizes, final long sliceNs, final int ingestServers)
      throws Exception {
    for (final RouterWorld.Layout layout : RouterWorld.Layout.values()) {
      for (final RequestOrder order :
          List.of(RequestOrder.PRIMARY_FIRST, RequestOrder.LEAST_LOADED)) {
        decisions(layout, order, rounds, sizes, sliceNs);
      }
    }
    for (final RouterWorld.Layout layout : RouterWorld.Layout.values()) {
      ingest(layout, rounds, ingestServers, sliceNs);
    }
  }

  private static void decisions(
      final RouterWorld.Layout layout,
      final RequestOrder order,
      final int rounds,
      final int[] sizes,
      final long sliceNs)
      throws Exception {
    final List<IntSupplier> ops = new ArrayList<>();
    for (final int size : sizes) {
      final DecisionBench bench = new DecisionBench();
      bench.servers = size;
      bench.layout = layout;
      bench.order = order;
      bench.setUp();
      ops.add(() -> bench.routeAndAnswer().requestId().length());
    }
    final double[][] nsPerOp = new double[sizes.length][rounds];
    ops.forEach(op -> perOp(op, sliceNs)); // warm up
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < sizes.length; i++) {
        nsPerOp[i][r] = perOp(ops.get(i), sliceNs);
      }
    }
    final double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratios[r] = nsPerOp[sizes.length - 1][r] / nsPerOp[0][r];
    }
    final StringBuilder line =
        new StringBuilder(String.format("decision %-11s %-13s", layout, order));
    for (int i = 0; i < sizes.length; i++) {
      line.append(String.format("  %,6d: %8.2f us", sizes[i], median(nsPerOp[i]) / 1e3));
    }
    line.append(
        String.format(
            "  | %,d/%,d: median %.2fx, worst %.2fx (%d paired rounds, CPU time)",
            sizes[sizes.length - 1], sizes[0], median(ratios), max(ratios), rounds));
    System.out.println(line);
  }

  private static void ingest(
      final RouterWorld.Layout layout, final int rounds, final int servers, final long sliceNs) {
    // one router each: flapping statuses would make the steady ones change availability too
    final StatusIngestBench calm = ingestBench(layout, servers);
    final StatusIngestBench flappy = ingestBench(layout, servers);
    final double[] steady = new double[rounds];
    final double[] flapping = new double[rounds];
    perOp(calm::steady, sliceNs);
    perOp(flappy::flapping, sliceNs);
    for (int r = 0; r < rounds; r++) {
      steady[r] = 1e9 / perOp(calm::steady, sliceNs);
      flapping[r] = 1e9 / perOp(flappy::flapping, sliceNs);
    }
    System.out.printf(
        "status ingest, %,d servers, %-11s steady: median %,.0f/s (worst %,.0f/s); "
            + "flapping: median %,.0f/s (worst %,.0f/s) per CPU second%n",
        servers, layout, median(steady), min(steady), median(flapping), min(flapping));
  }

  private static StatusIngestBench ingestBench(final RouterWorld.Layout layout, final int servers) {
    final StatusIngestBench bench = new StatusIngestBench();
    bench.servers = servers;
    bench.layout = layout;
    bench.setUp();
    return bench;
  }

  /** CPU nanoseconds per call of {@code op}, running it for about {@code sliceNs} of CPU. */
  private static double perOp(final IntSupplier op, final long sliceNs) {
    final long start = THREADS.getCurrentThreadCpuTime();
    long calls = 0;
    int sink = 0;
    long now;
    do {
      for (int i = 0; i < 64; i++) {
        sink += op.getAsInt();
      }
      calls += 64;
      now = THREADS.getCurrentThreadCpuTime();
    } while (now - start < sliceNs);
    if (sink == 42) {
      System.out.print("");
    }
    return (now - start) / (double) calls;
  }

  private static double median(final double[] values) {
    final double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double max(final double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static double min(final double[] values) {
    return Arrays.stream(values).min().orElse(0);
  }
}
