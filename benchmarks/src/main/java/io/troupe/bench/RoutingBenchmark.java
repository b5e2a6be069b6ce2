package io.troupe.bench;

import io.troupe.agent.api.TroupeAgent;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Direct MQTT 5 request/response between two Paho clients against the same traffic routed through
 * Troupe (consumer → gateway → device agent → gateway → consumer), on one embedded broker with the
 * same authentication, side by side in one run, at 1 and 16 requests in flight.
 *
 * <p>Both sides are tuned alike (see {@link EchoResponder}); a call counts as served only on a 2xx
 * answer. Rounds alternate their order (ABBA) and the ratios are reported as median and worst.
 *
 * <p>Usage: {@code ./troupe bench [requests-per-run] [rounds]} (defaults 20000 and 5); {@code
 * ./troupe bench api …}, {@code ./troupe bench coap …}, {@code ./troupe bench status …}, {@code
 * ./troupe bench failover …}, {@code ./troupe bench soak …}, {@code ./troupe bench policy …},
 * {@code ./troupe bench sync …} and {@code ./troupe bench jmh} run the API load, CoAP, status
 * ingest, failover, soak, access policy, content synchronisation against rsync and the router's JMH
 * benchmarks instead.
 */
public final class RoutingBenchmark {

  private static final byte[] BODY = new byte[64];

  public static void main(final String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "bench-logback.xml");
    }
    if (args.length > 0 && args[0].equals("jmh")) {
      io.troupe.bench.jmh.JmhRun.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("failover")) {
      FailoverBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("soak")) {
      SoakBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("api")) {
      ApiLoadBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("coap")) {
      CoapBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("storm")) {
      ReconnectStormBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("policy")) {
      PolicyBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("sync")) {
      SyncBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("status")) {
      StatusIngestBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    final int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : PairedRatios.DEFAULT_ROUNDS;
    run(requests, rounds);
  }

  /** What a run measured: every run's figures and the routed/direct ratios at 1 and 16. */
  record Outcome(
      List<LoadRun.Result> results, PairedRatios atOne, PairedRatios atSixteen, BrokerCpu cpu) {}

  /**
   * Runs {@code rounds} paired rounds of {@code requests} calls per run, in ABBA order, prints the
   * table and the ratios, and returns them.
   */
  static Outcome run(final int requests, final int rounds) throws Exception {
    ThreadLocalRandom.current().nextBytes(BODY);
    try (EmbeddedGateway gateway =
        // MQTT only: a CoAP bridge would contend for UDP 5684 with any other gateway running
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final java.util.Map<String, String> pw =
          BenchSupport.identities(
              gateway,
              port,
              java.util.Map.of(
                  "bench-requester", IdentityRole.ADMIN,
                  "bench-responder", IdentityRole.ADMIN,
                  "bench-dev", IdentityRole.DEVICE,
                  "bench-consumer", IdentityRole.CONSUMER));
      try (EchoResponder direct =
              new EchoResponder(
                  BenchSupport.open(
                      port, "bench-responder", "bench-responder", pw.get("bench-responder")),
                  "bench/req");
          Requester directRequester =
              new Requester(
                  BenchSupport.connect(
                      port, "bench-requester", "bench-requester", pw.get("bench-requester")),
                  "bench/req",
                  "bench/resp/bench-requester");
          TroupeAgent agent = BenchSupport.echoAgent(port, pw.get("bench-dev"));
          Requester routedRequester =
              BenchSupport.routedRequester(port, pw.get("bench-consumer"))) {
        agent.startBlocking();
        System.out.printf(
            "Troupe routing benchmark: %d requests per run, %d-byte body, QoS 1, loopback,"
                + " %d rounds in ABBA order (routed first in odd rounds)%n",
            requests, BODY.length, rounds);
        System.out.println(BenchSupport.limits(direct));
        warmUp(directRequester, routedRequester, Math.min(requests, 5_000));
        final List<LoadRun.Result> results = new ArrayList<>();
        final BrokerCpu cpu = BrokerCpu.recorder();
        for (int round = 1; round <= rounds; round++) {
          for (final int inFlight : new int[] {1, 16}) {
            final boolean routedFirst = PairedRatios.otherFirst(round);
            for (final boolean routed : new boolean[] {routedFirst, !routedFirst}) {
              results.add(
                  cpu.measure(
                      () ->
                          routed
                              ? LoadRun.run(
                                  "routed", inFlight, requests, () -> routedRequester.serve(BODY))
                              : LoadRun.run(
                                  "direct",
                                  inFlight,
                                  requests,
                                  () -> directRequester.serve(BODY))));
            }
          }
        }
        return report(results, cpu);
      }
    }
  }

  private static void warmUp(final Requester direct, final Requester routed, final int n)
      throws InterruptedException {
    LoadRun.run("warm-up direct", 16, n, () -> direct.serve(BODY));
    LoadRun.run("warm-up routed", 16, n, () -> routed.serve(BODY));
  }

  private static Outcome report(final List<LoadRun.Result> results, final BrokerCpu cpu) {
    BenchReport.table(results);
    final Outcome outcome =
        new Outcome(
            results,
            BenchReport.pairs(results, "", "routed", 1),
            BenchReport.pairs(results, "", "routed", 16),
            cpu);
    System.out.println();
    System.out.println("routed / direct, paired by round:");
    System.out.printf(" %2d in flight: %s%n", 1, outcome.atOne().summary());
    System.out.printf(" %2d in flight: %s%n", 16, outcome.atSixteen().summary());
    System.out.println("CPU of the broker's threads (HiveMQ with the Troupe extension) per call:");
    for (final int inFlight : new int[] {1, 16}) {
      System.out.printf(
          " %2d in flight: %s%n", inFlight, cpu.summary("routed", "direct", inFlight));
    }
    return outcome;
  }
}
