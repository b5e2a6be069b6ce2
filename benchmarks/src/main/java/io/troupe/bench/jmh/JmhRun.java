package io.troupe.bench.jmh;

/**
 * {@code ./troupe bench jmh}: the router's JMH benchmarks (decision cost, status ingest) with short
 * iterations, then the heap of a registry of 10,000 servers. With arguments, they go to JMH as they
 * are (for example {@code ./troupe bench jmh DecisionBench -p servers=10000}) and the heap is not
 * measured. {@code ./troupe bench jmh cpu [rounds]} measures the same in CPU time, in paired rounds
 * ({@link CpuScaling}), for a machine busy with other work.
 */
public final class JmhRun {

  private JmhRun() {}

  public static void main(final String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("cpu")) {
      CpuScaling.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      RegistryHeap.main(new String[0]);
      return;
    }
    if (args.length > 0) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    org.openjdk.jmh.Main.main(
        new String[] {"io.troupe.bench.jmh.*", "-rf", "text", "-rff", "jmh-result.txt"});
    RegistryHeap.main(new String[0]);
  }
}
