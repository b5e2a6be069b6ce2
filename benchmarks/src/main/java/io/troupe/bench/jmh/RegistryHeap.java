package io.troupe.bench.jmh;

import io.troupe.proto.v1.RequestOrder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap a router holds for a registry of {@code servers} devices, all connected and reported
 * available, each service routed once (so that what decisions keep, such as the rankings, is
 * counted): used heap after a full collection, with the router alive, minus the same before it was
 * built. Prints the median of a few builds.
 */
public final class RegistryHeap {

  private RegistryHeap() {}

  public static void main(final String[] args) {
    final int servers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    for (final RouterWorld.Layout layout : RouterWorld.Layout.values()) {
      final long[] sizes = new long[5];
      for (int round = 0; round < sizes.length; round++) {
        final long before = usedAfterGc();
        DecisionBench routed = new DecisionBench();
        routed.servers = servers;
        routed.layout = layout;
        routed.order = RequestOrder.LEAST_LOADED;
        routed.setUp();
        for (int i = 0; i < Math.min(servers, 1_000); i++) {
          routed.routeAndAnswer();
        }
        sizes[round] = usedAfterGc() - before;
        if (routed.routeAndAnswer() == null) {
          throw new IllegalStateException("the world stopped routing");
        }
        routed = null;
      }
      java.util.Arrays.sort(sizes);
      System.out.printf(
          "heap of a registry of %,d servers (%s): median %.1f MB, worst %.1f MB over %d builds%n",
          servers,
          layout,
          sizes[sizes.length / 2] / 1e6,
          sizes[sizes.length - 1] / 1e6,
          sizes.length);
    }
  }

  private static long usedAfterGc() {
    final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
