package io.troupe.bench;

import io.troupe.agent.api.TroupeAgent;
import io.troupe.contract.CoapKeys;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A Californium client calling a Californium echo server directly, against the same client calling
 * {@code echo.bench} through the CoAP bridge (client → bridge → router → MQTT echo agent → router →
 * bridge → client), plain and over DTLS with PSK, at 1 and 16 requests in flight, side by side in
 * one run on loopback.
 *
 * <p>Usage: {@code ./troupe bench coap [requests-per-run] [rounds]} (defaults 5000 and 2; at most
 * 65,535 requests per run, one client endpoint's message ids).
 */
final class CoapBenchmark {

  private static final byte[] BODY = new byte[64];
  private static final String IDENTITY = "bench-consumer";

  /** The device that serves over CoAP only, alone in its community. */
  private static final String DEVICE = "bench-coapdev";

  private static final String DEVICE_COMMUNITY = "benchcoap";

  private CoapBenchmark() {}

  /** One way of calling: a transport and a path, with a fresh caller for each run. */
  private record Route(String transport, String path, Supplier<CoapPeers.Caller> caller) {
    String label() {
      return transport + " " + path;
    }
  }

  static void main(final String[] args) throws Exception {
    final int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    if (requests < 1 || requests > 65_535 || rounds < 1) {
      throw new IllegalArgumentException("requests must be 1 to 65535 and rounds at least 1");
    }
    ThreadLocalRandom.current().nextBytes(BODY);
    final int plain = freeUdpPort();
    final int dtls = freeUdpPort();
    try (EmbeddedGateway gateway = BenchSupport.gateway(config(plain, dtls))) {
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
      final String key = CoapKeys.read(gateway.extensionHome()).keyOf(IDENTITY);
      try (TroupeAgent agent = BenchSupport.echoAgent(port, pw.get("bench-dev"));
          CoapPeers.EchoServer direct =
              new CoapPeers.EchoServer(freeUdpPort(), freeUdpPort(), IDENTITY, key);
          CoapPeers.Device device =
              new CoapPeers.Device(
                  dtls,
                  DEVICE,
                  CoapKeys.read(gateway.extensionHome()).keyOf(DEVICE),
                  DEVICE_COMMUNITY)) {
        agent.startBlocking();
        final String routed = "/s/echo.bench";
        final List<Route> paths =
            List.of(
                new Route(
                    "plain",
                    "direct",
                    () -> CoapPeers.Caller.plain(uri("coap", direct.plainPort, "/echo"))),
                new Route(
                    "plain", "routed", () -> CoapPeers.Caller.plain(uri("coap", plain, routed))),
                new Route(
                    "dtls",
                    "direct",
                    () ->
                        CoapPeers.Caller.dtls(
                            uri("coaps", direct.dtlsPort, "/echo"), IDENTITY, key)),
                new Route(
                    "dtls",
                    "routed",
                    () -> CoapPeers.Caller.dtls(uri("coaps", dtls, routed), IDENTITY, key)));
        // routed to a device that serves over CoAP only: client → bridge → router → bridge → device
        final List<Route> all = new ArrayList<>(paths);
        if (device.register("echo")) {
          final String toDevice = "/s/echo." + DEVICE_COMMUNITY;
          all.add(
              new Route(
                  "plain", "to-coap", () -> CoapPeers.Caller.plain(uri("coap", plain, toDevice))));
          all.add(
              new Route(
                  "dtls",
                  "to-coap",
                  () -> CoapPeers.Caller.dtls(uri("coaps", dtls, toDevice), IDENTITY, key)));
        } else {
          System.out.println("(no CoAP device route: this gateway has no resource directory)");
        }
        System.out.printf(
            "Troupe CoAP benchmark: %d requests per run, %d-byte body, confirmable, loopback,"
                + " %d rounds%n",
            requests, BODY.length, rounds);
        for (final Route p : all) {
          run(p, "warm-up", 16, Math.min(requests, 3_000));
        }
        final List<LoadRun.Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          for (final Route p : all) {
            for (final int inFlight : new int[] {1, 16}) {
              results.add(run(p, p.label(), inFlight, requests));
            }
          }
        }
        report(results);
      }
    }
  }

  private static LoadRun.Result run(
      final Route p, final String label, final int inFlight, final int requests)
      throws InterruptedException {
    try (CoapPeers.Caller caller = p.caller().get()) {
      caller.call(BODY).join(); // the handshake, outside the measured run
      return LoadRun.run(label, inFlight, requests, () -> caller.call(BODY));
    }
  }

  private static void report(final List<LoadRun.Result> results) {
    BenchReport.table(results);
    for (final String path : new String[] {"routed", "to-coap"}) {
      if (results.stream().noneMatch(r -> r.path().endsWith(path))) {
        continue;
      }
      System.out.println();
      System.out.println(path + " / direct, paired by round:");
      for (final String transport : new String[] {"plain", "dtls"}) {
        for (final int inFlight : new int[] {1, 16}) {
          System.out.printf(
              "  %-5s %2d in flight: %s%n",
              transport,
              inFlight,
              BenchReport.pairs(results, transport + " ", path, inFlight).summary());
        }
      }
    }
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

  private static String uri(final String scheme, final int port, final String path) {
    return scheme + "://127.0.0.1:" + port + path;
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(CoapPeers.loopback(0))) {
      return s.getLocalPort();
    }
  }
}
