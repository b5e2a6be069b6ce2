package io.troupe.bench;

import io.troupe.agent.api.TroupeAgent;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Direct MQTT 5 request/response between two Paho clients against the same traffic routed through
 * Troupe (consumer → gateway → device agent → gateway → consumer), on one embedded broker with the
 * same authentication, side by side in one run, at 1 and 16 requests in flight.
 *
 * <p>Usage: {@code ./troupe bench [requests-per-run] [rounds]} (defaults 20000 and 2); {@code
 * ./troupe bench api|failover|soak ...} runs {@link ApiLoadBenchmark}, {@link FailoverBenchmark} or
 * {@link SoakBenchmark}.
 */
public final class RoutingBenchmark {

  private static final byte[] BODY = new byte[64];

  public static void main(final String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "bench-logback.xml");
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
    final int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    ThreadLocalRandom.current().nextBytes(BODY);
    final Path home =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "troupe-bench");
    final int port = BenchSupport.freePort();
    try (EmbeddedGateway gateway =
        EmbeddedGateway.builder()
            .home(home)
            .port(port)
            .extensionZip(BenchSupport.zip())
            .inMemoryPersistence(true)
            .build()) {
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
      final String requesterPw = pw.get("bench-requester");
      final String responderPw = pw.get("bench-responder");
      final String devicePw = pw.get("bench-dev");
      final String consumerPw = pw.get("bench-consumer");
      try (EchoResponder direct =
              new EchoResponder(
                  BenchSupport.connect(port, "bench-responder", "bench-responder", responderPw),
                  "bench/req");
          Requester directRequester =
              new Requester(
                  BenchSupport.connect(port, "bench-requester", "bench-requester", requesterPw),
                  "bench/req",
                  "bench/resp/bench-requester");
          TroupeAgent agent = BenchSupport.echoAgent(port, devicePw);
          Requester routedRequester = BenchSupport.routedRequester(port, consumerPw)) {
        agent.startBlocking();
        System.out.printf(
            "Troupe routing benchmark: %d requests per run, %d-byte body, QoS 1, loopback, %d rounds%n",
            requests, BODY.length, rounds);
        warmUp(directRequester, routedRequester, Math.min(requests, 5_000));
        final List<LoadRun.Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          for (final int inFlight : new int[] {1, 16}) {
            results.add(
                LoadRun.run("direct", inFlight, requests, () -> directRequester.call(BODY)));
            results.add(
                LoadRun.run("routed", inFlight, requests, () -> routedRequester.call(BODY)));
          }
        }
        report(results, rounds);
      }
    }
  }

  private static void warmUp(final Requester direct, final Requester routed, final int n)
      throws InterruptedException {
    LoadRun.run("warm-up direct", 16, n, () -> direct.call(BODY));
    LoadRun.run("warm-up routed", 16, n, () -> routed.call(BODY));
  }

  private static void report(final List<LoadRun.Result> results, final int rounds) {
    System.out.printf(
        "%-7s %9s %11s %9s %9s %9s%n",
        "path", "in flight", "req/s", "p50 ms", "p99 ms", "failures");
    for (final LoadRun.Result r : results) {
      System.out.printf(
          "%-7s %9d %11.0f %9.2f %9.2f %9d%n",
          r.path(), r.inFlight(), r.perSecond(), r.p50Millis(), r.p99Millis(), r.failures());
    }
    System.out.println();
    System.out.println("routed / direct, paired by round:");
    for (final int inFlight : new int[] {1, 16}) {
      final PairedRatios ratios = new PairedRatios();
      LoadRun.Result direct = null;
      for (final LoadRun.Result r : results) {
        if (r.inFlight() != inFlight) {
          continue;
        }
        if (r.path().equals("direct")) {
          direct = r;
        } else if (direct != null) {
          ratios.add(direct, r);
          direct = null;
        }
      }
      System.out.printf("  %2d in flight: %s%n", inFlight, ratios.summary());
    }
  }
}
