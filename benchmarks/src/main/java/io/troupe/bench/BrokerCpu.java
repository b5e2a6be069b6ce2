package io.troupe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the broker's own threads in this JVM: HiveMQ's event loops and executors, which run
 * the Troupe extension too. On the routed path that is the broker and the gateway; on the direct
 * path the broker alone (its interceptors still see every publish). The clients (Paho threads, the
 * agent's handlers, the responder) are left out: they are the same code on both sides. CPU time is
 * what a busy machine disturbs least, where throughput and latency swing with the other work.
 */
final class BrokerCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Thread names HiveMQ CE gives its own pools, the extension executors among them. */
  private static final List<String> BROKER_THREADS =
      List.of(
          "hivemq-",
          "extension-",
          "managed-extension-",
          "global-traffic-shaper-",
          "scheduled-persistence-",
          "single-writer-",
          "persistence-");

  /** CPU per call of each run, by the run's path and in-flight, in run order. */
  private final Map<String, List<Double>> microsPerCall = new TreeMap<>();

  private BrokerCpu() {}

  static BrokerCpu recorder() {
    return new BrokerCpu();
  }

  /** Nanoseconds of CPU the broker's live threads have used so far. */
  static long nanos() {
    long total = 0;
    for (final long id : THREADS.getAllThreadIds()) {
      final ThreadInfo info = THREADS.getThreadInfo(id);
      final long cpu = THREADS.getThreadCpuTime(id);
      if (info != null && cpu > 0 && isBroker(info.getThreadName())) {
        total += cpu;
      }
    }
    return total;
  }

  static boolean isBroker(final String thread) {
    return BROKER_THREADS.stream().anyMatch(thread::startsWith);
  }

  /** Runs {@code run} and records the broker's CPU per call it cost. */
  LoadRun.Result measure(final Run run) throws InterruptedException {
    final long before = nanos();
    final LoadRun.Result r = run.get();
    final double micros = (nanos() - before) / 1e3 / r.requests();
    microsPerCall
        .computeIfAbsent(r.path() + " " + r.inFlight(), k -> new ArrayList<>())
        .add(micros);
    return r;
  }

  /**
   * "routed 41.2 µs, direct 20.3 µs per call (medians); routed / direct median 2.03 worst 2.20":
   * rounds paired by their order, as the throughput ratios are.
   */
  String summary(final String other, final String base, final int inFlight) {
    final List<Double> o = microsPerCall.getOrDefault(other + " " + inFlight, List.of());
    final List<Double> b = microsPerCall.getOrDefault(base + " " + inFlight, List.of());
    final int n = Math.min(o.size(), b.size());
    if (n == 0) {
      return "no paired rounds";
    }
    final double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      ratios[i] = o.get(i) / b.get(i);
    }
    java.util.Arrays.sort(ratios);
    return String.format(
        "%s %.1f µs, %s %.1f µs per call (medians); %s / %s median %.2f worst %.2f",
        other, median(o), base, median(b), other, base, median(ratios), ratios[n - 1]);
  }

  private static double median(final List<Double> values) {
    return median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }

  private static double median(final double[] sorted) {
    final int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A run to measure. */
  @FunctionalInterface
  interface Run {
    LoadRun.Result get() throws InterruptedException;
  }
}
