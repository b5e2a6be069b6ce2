package io.troupe.bench;

import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routing latency while the gateway API is busy (issue 5): echo calls routed through Troupe, in
 * rounds of two paired runs on one gateway, one quiet and one with a concurrent stream of API
 * changes (each written durably to the store), over a registry of many communities. Rounds
 * alternate their order (ABBA); a call counts only when answered 2xx. Prints each round with its
 * failures, a summary line naming the failures by status, and the median and worst of the paired
 * busy/quiet ratios.
 *
 * <p>Usage: {@code ./troupe bench api [requests-per-run] [rounds] [communities] [in-flight]
 * [api-changes-per-second]} (defaults 5000, 5, 2000, 4, and 0: as fast as the gateway answers).
 */
public final class ApiLoadBenchmark {

  private static final byte[] BODY = new byte[64];
  private static final String LIMITS =
      "<troupe><limits><max-communities-per-identity>1000000</max-communities-per-identity>"
          + "<max-services-per-identity>1000000</max-services-per-identity></limits>"
          // MQTT only: a CoAP bridge would contend for UDP 5684 with any other gateway running
          + "<coap><enabled>false</enabled></coap></troupe>";

  public static void main(final String[] args) throws Exception {
    run(
        arg(args, 0, 5_000),
        arg(args, 1, PairedRatios.DEFAULT_ROUNDS),
        arg(args, 2, 2_000),
        arg(args, 3, 4),
        arg(args, 4, 0));
  }

  /** Every run (quiet and busy, in the order they ran) and the busy/quiet ratios. */
  record Outcome(List<LoadRun.Result> results, PairedRatios ratios) {}

  /** Runs the benchmark, prints it, and returns what it measured. */
  static Outcome run(
      final int requests,
      final int rounds,
      final int communities,
      final int inFlight,
      final int apiRate)
      throws Exception {
    try (EmbeddedGateway gateway = BenchSupport.gateway(LIMITS)) {
      final int port = gateway.port();
      gateway.start();
      final Map<String, String> pw =
          BenchSupport.identities(
              gateway,
              port,
              Map.of(
                  "bench-dev", IdentityRole.DEVICE,
                  "bench-consumer", IdentityRole.CONSUMER,
                  "bench-churn", IdentityRole.DEVICE,
                  "bench-filler", IdentityRole.DEVICE));
      final String devicePw = pw.get("bench-dev");
      final String consumerPw = pw.get("bench-consumer");
      final String churnPw = pw.get("bench-churn");
      final String fillerPw = pw.get("bench-filler");
      final long filled = fill(port, fillerPw, communities);
      try (TroupeAgent agent = BenchSupport.echoAgent(port, devicePw);
          Requester routed = BenchSupport.routedRequester(port, consumerPw);
          TroupeConsumer churn =
              TroupeConsumer.builder().port(port).user("bench-churn").password(churnPw).build()) {
        agent.startBlocking();
        churn.connect().join();
        check(churn.gatewayApi(join("churn")).join());
        System.out.printf(
            "Routing while the API is busy: %d requests per run, %d in flight, %d rounds,"
                + " registry of %d communities (filled in %d ms), API changes %s%n",
            requests,
            inFlight,
            rounds,
            communities,
            filled,
            apiRate > 0 ? "paced at " + apiRate + "/s" : "as fast as answered");
        LoadRun.run("warm-up", inFlight, Math.min(requests, 3_000), () -> routed.serve(BODY));
        final PairedRatios ratios = new PairedRatios();
        final List<LoadRun.Result> results = new ArrayList<>();
        System.out.printf(
            "%-6s %-6s %9s %9s %9s %12s %9s%n",
            "round", "run", "served/s", "p50 ms", "p99 ms", "API ops/s", "failures");
        for (int round = 1; round <= rounds; round++) {
          // ABBA: busy first in odd rounds, quiet first in even ones
          LoadRun.Result quiet = null;
          LoadRun.Result busy = null;
          for (final boolean isBusy :
              PairedRatios.otherFirst(round)
                  ? new boolean[] {true, false}
                  : new boolean[] {false, true}) {
            if (isBusy) {
              final Churn stream = new Churn(churn, apiRate);
              stream.start();
              try {
                busy = LoadRun.run("busy", inFlight, requests, () -> routed.serve(BODY));
              } finally {
                stream.stop();
              }
              print(round, busy, stream.perSecond());
              results.add(busy);
            } else {
              quiet = LoadRun.run("quiet", inFlight, requests, () -> routed.serve(BODY));
              print(round, quiet, 0);
              results.add(quiet);
            }
          }
          ratios.add(quiet, busy);
        }
        System.out.println(BenchReport.summary(results));
        System.out.println("busy / quiet: " + ratios.summary() + " (aim: p99 at most 1.5)");
        return new Outcome(results, ratios);
      }
    }
  }

  /** The registry: {@code n} communities, each with one service and a descriptor of 20 items. */
  private static long fill(final int port, final String password, final int n) {
    final long start = System.currentTimeMillis();
    try (TroupeConsumer filler =
        TroupeConsumer.builder().port(port).user("bench-filler").password(password).build()) {
      filler.connect().join();
      final ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder().setVersion(1);
      for (int i = 0; i < 20; i++) {
        descriptor.addItems(
            Item.newBuilder()
                .setName("item-" + i + ".jpg")
                .setSize(100_000 + i)
                .setSha256(com.google.protobuf.ByteString.copyFrom(new byte[32])));
      }
      for (int i = 0; i < n; i++) {
        final String community = "filler-" + i;
        check(filler.gatewayApi(join(community)).join());
        check(
            filler
                .gatewayApi(
                    GatewayRequest.newBuilder()
                        .setRegisterService(
                            RegisterService.newBuilder()
                                .setCommunity(community)
                                .setService("photos")
                                .setServiceDescriptor(descriptor))
                        .build())
                .join());
      }
    }
    return System.currentTimeMillis() - start;
  }

  /** A stream of API changes, one after another, until stopped. */
  private static final class Churn implements Runnable {
    private final TroupeConsumer client;
    private final long pauseNanos;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ops = new AtomicLong();
    private final Thread thread = new Thread(this, "api-churn");
    private long startNanos;
    private long stopNanos;

    Churn(final TroupeConsumer client, final int perSecond) {
      this.client = client;
      this.pauseNanos = perSecond > 0 ? 2_000_000_000L / perSecond : 0;
    }

    void start() {
      startNanos = System.nanoTime();
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
      stopNanos = System.nanoTime();
    }

    double perSecond() {
      return ops.get() / ((stopNanos - startNanos) / 1e9);
    }

    @Override
    public void run() {
      long next = System.nanoTime();
      while (running.get()) {
        if (pauseNanos > 0) {
          next += pauseNanos;
          java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
        }
        check(
            client
                .gatewayApi(
                    GatewayRequest.newBuilder()
                        .setRegisterService(
                            RegisterService.newBuilder().setCommunity("churn").setService("s"))
                        .build())
                .join());
        check(
            client
                .gatewayApi(
                    GatewayRequest.newBuilder()
                        .setDeregisterService(
                            DeregisterService.newBuilder().setCommunity("churn").setService("s"))
                        .build())
                .join());
        ops.addAndGet(2);
      }
    }
  }

  private static GatewayRequest join(final String community) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
        .build();
  }

  private static void check(final GatewayResponse response) {
    if (response.getStatus() >= 300) {
      throw new IllegalStateException(
          "API call refused: " + response.getStatus() + " " + response.getReason());
    }
  }

  private static void print(final int round, final LoadRun.Result r, final double apiOps) {
    System.out.printf(
        "%-6d %-6s %9.0f %9.2f %9.2f %12.0f %9d%n",
        round, r.path(), r.perSecond(), r.p50Millis(), r.p99Millis(), apiOps, r.failures());
  }

  private static int arg(final String[] args, final int index, final int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
