package io.troupe.bench;

import io.troupe.agent.api.TroupeAgent;
import io.troupe.contract.CoapKeys;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The CoAP bridge against what it replaces, in paired rounds on loopback:
 *
 * <ul>
 *   <li>to a CoAP device: a Californium client calling a Californium device through libcoap's
 *       forward proxy ({@code coap-server-notls -P}, Proxy-Uri), against the same client calling
 *       the same device through the bridge ({@code /s/echo.benchcoap}: bridge → router → bridge →
 *       device);
 *   <li>to an MQTT agent: a Paho client's routed MQTT request to the echo agent, against the
 *       Californium client's request to the same agent through the bridge ({@code /s/echo.bench}).
 * </ul>
 *
 * Both sides of a pair run with the same number of calls in flight (1 and 16), one after the other
 * in ABBA order (the baseline first in odd rounds, second in even ones). A call is served only by a
 * 2.xx answer (status 2xx over MQTT) carrying the body back; failures are printed by code.
 *
 * <p>Usage: {@code ./troupe bench coap [requests-per-run] [rounds]} (defaults 5000 and 5; at most
 * 65,535 requests per run, one client endpoint's message ids). The 60,000 forwards of a default run
 * to one device are more than one endpoint's message ids towards one peer within the exchange
 * lifetime: the bridge sends from a fresh endpoint before they run out ({@code DeviceEndpoints}).
 */
final class CoapBenchmark {

  private static final byte[] BODY = new byte[64];
  private static final String IDENTITY = "bench-consumer";
  private static final int[] IN_FLIGHT = {1, 16};

  /** The device that serves over CoAP only, alone in its community. */
  private static final String DEVICE = "bench-coapdev";

  private static final String DEVICE_COMMUNITY = "benchcoap";

  private CoapBenchmark() {}

  /** One run's calls: a fresh client endpoint for CoAP, the one MQTT connection for MQTT. */
  private interface Calls extends AutoCloseable {
    CompletableFuture<?> call(byte[] body);

    @Override
    void close();
  }

  /** A way of calling, opening its calls for a run with the failures counted where given. */
  private interface Path {
    Calls open(CoapPeers.Failures failures);
  }

  /** A path with its name and the failures of its measured runs. */
  private record Side(String name, Path path, CoapPeers.Failures failures) {
    Side(final String name, final Path path) {
      this(name, path, new CoapPeers.Failures());
    }
  }

  /**
   * The bridge against a baseline, and the aims: the bridge's throughput at least {@code
   * minThroughput} times the baseline's, its p99 at most {@code maxP99} times.
   */
  private record Pair(Side baseline, Side bridge, double minThroughput, double maxP99) {}

  /** The paired figures at one number in flight: bridge over baseline, median and worst round. */
  record Ratios(
      String pair,
      int inFlight,
      double throughputMedian,
      double throughputWorst,
      double p99Median,
      double p99Worst,
      boolean aimMet) {}

  /** A whole run: every measured run, the ratios, and the calls not served. */
  record Result(List<LoadRun.Result> runs, List<Ratios> ratios, long failures) {}

  static void main(final String[] args) throws Exception {
    final int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    run(requests, rounds);
  }

  /**
   * Runs the benchmark and prints its table, ratios and failures.
   *
   * @throws IllegalArgumentException for requests outside 1 to 65,535 or rounds under 1
   * @throws IllegalStateException when {@code coap-server-notls} is missing, or the device cannot
   *     register with the gateway
   */
  static Result run(final int requests, final int rounds) throws Exception {
    if (requests < 1 || requests > 65_535 || rounds < 1) {
      throw new IllegalArgumentException("requests must be 1 to 65535 and rounds at least 1");
    }
    ThreadLocalRandom.current().nextBytes(BODY);
    final int plain = CoapPeers.freePort();
    final int dtls = CoapPeers.freePort();
    try (CoapProxy proxy = CoapProxy.start();
        EmbeddedGateway gateway = BenchSupport.gateway(config(plain, dtls))) {
      final int port = gateway.port();
      gateway.start();
      final Map<String, String> pw =
          BenchSupport.identities(
              gateway,
              port,
              Map.of(
                  "bench-dev",
                  IdentityRole.DEVICE,
                  IDENTITY,
                  IdentityRole.CONSUMER,
                  DEVICE,
                  IdentityRole.DEVICE));
      try (TroupeAgent agent = BenchSupport.echoAgent(port, pw.get("bench-dev"));
          CoapPeers.Device device =
              new CoapPeers.Device(
                  dtls,
                  DEVICE,
                  CoapKeys.read(gateway.extensionHome()).keyOf(DEVICE),
                  DEVICE_COMMUNITY);
          Requester mqtt = BenchSupport.routedRequester(port, pw.get(IDENTITY))) {
        agent.startBlocking();
        if (!device.register("echo")) {
          throw new IllegalStateException("the gateway has no resource directory: no CoAP device");
        }
        final List<Pair> pairs =
            List.of(
                new Pair(
                    new Side(
                        "proxy -> device",
                        f -> coap(CoapPeers.Caller.proxied(proxy.uri(), device.plainUri()), f)),
                    new Side(
                        "bridge -> device",
                        f -> coap(CoapPeers.Caller.plain(bridge(plain, DEVICE_COMMUNITY)), f)),
                    1.0,
                    1.2),
                new Pair(
                    new Side("MQTT -> agent", f -> mqtt(mqtt, f)),
                    new Side(
                        "bridge -> agent",
                        f -> coap(CoapPeers.Caller.plain(bridge(plain, "bench")), f)),
                    1 / 1.1,
                    1.1));
        printHeader(requests, rounds);
        // every side alike, enough for the JIT to compile the JVM's paths (the proxy needs none)
        final int warmUp = Math.min(2 * requests, 10_000);
        for (final Pair p : pairs) {
          for (final Side s : List.of(p.baseline(), p.bridge())) {
            measure(s.path(), new CoapPeers.Failures(), "warm-up", 16, warmUp);
          }
        }
        return report(pairs, measureRounds(pairs, requests, rounds));
      }
    }
  }

  /** Every round: each pair at each number in flight, its baseline first in odd rounds. */
  private static List<LoadRun.Result> measureRounds(
      final List<Pair> pairs, final int requests, final int rounds) throws InterruptedException {
    final List<LoadRun.Result> runs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (final Pair p : pairs) {
        for (final int inFlight : IN_FLIGHT) {
          final List<Side> order =
              round % 2 == 1
                  ? List.of(p.baseline(), p.bridge())
                  : List.of(p.bridge(), p.baseline());
          for (final Side s : order) {
            runs.add(measure(s.path(), s.failures(), s.name(), inFlight, requests));
          }
        }
      }
    }
    return runs;
  }

  private static LoadRun.Result measure(
      final Path path,
      final CoapPeers.Failures failures,
      final String label,
      final int inFlight,
      final int requests)
      throws InterruptedException {
    try (Calls calls = path.open(failures)) {
      calls.call(BODY).exceptionally(e -> null).join(); // a handshake, outside the measured run
      return LoadRun.run(label, inFlight, requests, () -> calls.call(BODY));
    }
  }

  private static Calls coap(final CoapPeers.Caller caller, final CoapPeers.Failures failures) {
    caller.countingIn(failures);
    return new Calls() {
      @Override
      public CompletableFuture<?> call(final byte[] body) {
        return caller.call(body);
      }

      @Override
      public void close() {
        caller.close();
      }
    };
  }

  /** Routed MQTT calls on the one connection, served only by an answer with a 2xx status. */
  private static Calls mqtt(final Requester requester, final CoapPeers.Failures failures) {
    return new Calls() {
      @Override
      public CompletableFuture<?> call(final byte[] body) {
        return requester
            .call(body)
            .handle(
                (answer, error) -> {
                  final String status = error != null ? "no answer" : status(answer, body);
                  if (!status.isEmpty()) {
                    failures.add(status);
                    throw new CompletionException(new IllegalStateException(status));
                  }
                  return answer;
                });
      }

      @Override
      public void close() {
        // the connection serves every run
      }
    };
  }

  /** Empty for a served answer; otherwise what it carried instead: "status 503"… */
  private static String status(final MqttMessage answer, final byte[] body) {
    final String status =
        answer.getProperties().getUserProperties().stream()
            .filter(p -> p.getKey().equals("status"))
            .map(UserProperty::getValue)
            .findFirst()
            .orElse("none");
    if (!status.startsWith("2") || status.length() != 3) {
      return "status " + status;
    }
    return Arrays.equals(answer.getPayload(), body)
        ? ""
        : "status " + status + " with another body";
  }

  private static void printHeader(final int requests, final int rounds) {
    System.out.printf(
        "Troupe CoAP benchmark: %d requests per run, %d-byte body, confirmable POST, loopback,"
            + " %d paired rounds in ABBA order%n",
        requests, BODY.length, rounds);
    System.out.println(
        "  both sides of a pair: at most 1 or 16 calls in flight; CoAP calls from one Californium"
            + " endpoint per run (its default executor, one thread), MQTT calls from one Paho"
            + " client with TCP_NODELAY");
    System.out.println(
        "  proxy: libcoap "
            + CoapProxy.PROGRAM
            + " -P (one process, one thread); bridge: the gateway's plain CoAP endpoint; device:"
            + " Californium echo; agent: the echo agent, 2 handler threads");
    System.out.println("  (the machine may be shared: read the worst round beside the median)");
  }

  private static Result report(final List<Pair> pairs, final List<LoadRun.Result> runs) {
    BenchReport.table(runs);
    final List<Ratios> ratios = new ArrayList<>();
    System.out.println();
    for (final Pair p : pairs) {
      final String name = p.bridge().name() + " / " + p.baseline().name();
      System.out.printf(
          "%s (aim: throughput at least %.2f, p99 at most %.2f):%n",
          name, p.minThroughput(), p.maxP99());
      for (final int inFlight : IN_FLIGHT) {
        final Ratios r = ratios(p, name, inFlight, runs);
        ratios.add(r);
        System.out.printf(
            "  %2d in flight: throughput median %.2f worst %.2f; p99 median %.2f worst %.2f;"
                + " aim %s%n",
            inFlight,
            r.throughputMedian(),
            r.throughputWorst(),
            r.p99Median(),
            r.p99Worst(),
            r.aimMet() ? "met" : "NOT met");
      }
    }
    final long failed = runs.stream().mapToLong(LoadRun.Result::failures).sum();
    System.out.println();
    for (final Pair p : pairs) {
      for (final Side s : List.of(p.baseline(), p.bridge())) {
        System.out.printf("failures, %s: %s%n", s.name(), s.failures());
      }
    }
    System.out.println(
        failed == 0
            ? "every call was served"
            : failed + " calls FAILED (not served, counted in the figures above as failures)");
    return new Result(runs, ratios, failed);
  }

  /** The runs of the two sides at {@code inFlight}, paired in the order they were measured. */
  private static Ratios ratios(
      final Pair p, final String name, final int inFlight, final List<LoadRun.Result> runs) {
    final List<LoadRun.Result> base = runsOf(p.baseline(), inFlight, runs);
    final List<LoadRun.Result> bridge = runsOf(p.bridge(), inFlight, runs);
    final double[] throughput = new double[base.size()];
    final double[] p99 = new double[base.size()];
    for (int i = 0; i < base.size(); i++) {
      throughput[i] = served(bridge.get(i)) / served(base.get(i));
      p99[i] = bridge.get(i).p99Millis() / base.get(i).p99Millis();
    }
    Arrays.sort(throughput);
    Arrays.sort(p99);
    final double throughputMedian = median(throughput);
    final double p99Median = median(p99);
    return new Ratios(
        name,
        inFlight,
        throughputMedian,
        throughput[0],
        p99Median,
        p99[p99.length - 1],
        throughputMedian >= p.minThroughput() && p99Median <= p.maxP99());
  }

  /** Served calls per second: a failed call is no throughput. */
  private static double served(final LoadRun.Result r) {
    return (r.requests() - r.failures()) / r.seconds();
  }

  private static List<LoadRun.Result> runsOf(
      final Side s, final int inFlight, final List<LoadRun.Result> runs) {
    return runs.stream()
        .filter(r -> r.path().equals(s.name()) && r.inFlight() == inFlight)
        .toList();
  }

  private static double median(final double[] sorted) {
    final int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String config(final int plain, final int dtls) {
    return "<troupe><coap><dtls><bind>127.0.0.1</bind><port>"
        + dtls
        + "</port></dtls><plain><bind>127.0.0.1</bind><port>"
        + plain
        + "</port><act-as>"
        + IDENTITY
        + "</act-as></plain></coap></troupe>";
  }

  /** The bridge's URI for service {@code echo} in {@code community}. */
  private static String bridge(final int port, final String community) {
    return "coap://127.0.0.1:" + port + "/s/echo." + community;
  }
}
