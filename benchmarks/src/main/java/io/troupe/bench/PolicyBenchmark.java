package io.troupe.bench;

import io.troupe.agent.api.AccessPolicies;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageReport;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What checking access policies (R12) costs the routed path: echo calls routed through Troupe with
 * policies on (a quota and a bandwidth threshold for every consumer, on the gateway and on the
 * service, set so high that they never refuse nor delay: what is measured is the checking and the
 * counting) side by side with policies off, on one gateway, in one run, at 1 and 16 requests in
 * flight. The admin sets the policies before each "on" run and clears them before each "off" run;
 * the same consumer, connection and agent serve both.
 *
 * <p>A call counts as served only on a 2xx answer; every failure is printed by status. Rounds
 * alternate their order (ABBA) and the on/off ratios are reported as median and worst. After each
 * "on" run the consumer's usage is read back, so that a run whose policies counted nothing shows.
 *
 * <p>Usage: {@code ./troupe bench policy [requests-per-run] [rounds]} (defaults 20000 and 5).
 */
public final class PolicyBenchmark {

  private static final byte[] BODY = new byte[64];

  /** Never reached: a pebibyte per day. */
  static final long QUOTA_BYTES = 1L << 50;

  static final long WINDOW_SECONDS = 86_400;

  /** Never reached: a tebibyte per second. */
  static final long BANDWIDTH_BYTES_PER_SECOND = 1L << 40;

  static final String ADDRESS = "echo.bench";

  public static void main(final String[] args) throws Exception {
    run(
        args.length > 0 ? Integer.parseInt(args[0]) : 20_000,
        args.length > 1 ? Integer.parseInt(args[1]) : PairedRatios.DEFAULT_ROUNDS);
  }

  /**
   * Every run in the order it ran, the on/off ratios at 1 and 16 in flight, and the least the
   * consumer's meters had counted after an "on" run (bytes both ways, over the policies' window).
   */
  record Outcome(
      List<LoadRun.Result> results,
      PairedRatios atOne,
      PairedRatios atSixteen,
      long leastCounted) {}

  /**
   * Runs {@code rounds} paired rounds of {@code requests} calls per run, prints them, returns them.
   */
  static Outcome run(final int requests, final int rounds) throws Exception {
    ThreadLocalRandom.current().nextBytes(BODY);
    try (EmbeddedGateway gateway =
        // MQTT only: a CoAP bridge would contend for UDP 5684 with any other gateway running
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final Map<String, String> pw =
          BenchSupport.identities(
              gateway,
              port,
              Map.of("bench-dev", IdentityRole.DEVICE, "bench-consumer", IdentityRole.CONSUMER));
      try (TroupeConsumer admin =
              TroupeConsumer.builder()
                  .port(port)
                  .user("admin")
                  .password(Files.readString(gateway.adminSecretFile()).trim())
                  .build();
          TroupeAgent agent = BenchSupport.echoAgent(port, pw.get("bench-dev"));
          Requester routed = BenchSupport.routedRequester(port, pw.get("bench-consumer"))) {
        admin.connect().get(10, TimeUnit.SECONDS);
        agent.startBlocking();
        final Switch policies = new Switch(admin.policies());
        System.out.printf(
            "Access policies on against off, routed: %d requests per run, %d-byte body, QoS 1,"
                + " loopback, %d rounds in ABBA order (on first in odd rounds)%n",
            requests, BODY.length, rounds);
        System.out.println(policies.describe());
        policies.on();
        LoadRun.run("warm-up on", 16, Math.min(requests, 5_000), () -> routed.serve(BODY));
        policies.off();
        LoadRun.run("warm-up off", 16, Math.min(requests, 5_000), () -> routed.serve(BODY));
        final List<LoadRun.Result> results = new ArrayList<>();
        final PairedRatios atOne = new PairedRatios();
        final PairedRatios atSixteen = new PairedRatios();
        long leastCounted = Long.MAX_VALUE;
        for (int round = 1; round <= rounds; round++) {
          for (final int inFlight : new int[] {1, 16}) {
            LoadRun.Result on = null;
            LoadRun.Result off = null;
            final boolean onFirst = PairedRatios.otherFirst(round);
            for (final boolean isOn : new boolean[] {onFirst, !onFirst}) {
              if (isOn) {
                policies.on();
                on = LoadRun.run("policies on", inFlight, requests, () -> routed.serve(BODY));
                leastCounted = Math.min(leastCounted, policies.counted("bench-consumer"));
                results.add(on);
              } else {
                policies.off();
                off = LoadRun.run("policies off", inFlight, requests, () -> routed.serve(BODY));
                results.add(off);
              }
            }
            (inFlight == 1 ? atOne : atSixteen).add(off, on);
          }
        }
        return report(new Outcome(results, atOne, atSixteen, leastCounted));
      }
    }
  }

  private static Outcome report(final Outcome outcome) {
    BenchReport.table(outcome.results());
    System.out.println();
    System.out.println(
        "policies on / off, paired by round (aim: throughput at least 0.90, p99 at most 1.10):");
    System.out.printf(" %2d in flight: %s%n", 1, outcome.atOne().summary());
    System.out.printf(" %2d in flight: %s%n", 16, outcome.atSixteen().summary());
    System.out.printf(
        "the consumer's meters counted at least %d bytes after each run with policies on%n",
        outcome.leastCounted());
    return outcome;
  }

  /** Sets and clears the policies through the gateway's API as its admin. */
  private static final class Switch {
    private final AccessPolicies api;
    private final List<AccessPolicy> policies =
        List.of(
            limits(AccessPolicies.policy(PolicyScope.GATEWAY, "")),
            limits(AccessPolicies.policy(PolicyScope.SERVICE, ADDRESS)));

    Switch(final AccessPolicies api) {
      this.api = api;
    }

    private static AccessPolicy limits(final AccessPolicy.Builder policy) {
      return policy
          .setQuotaBytes(QUOTA_BYTES)
          .setQuotaWindowSeconds(WINDOW_SECONDS)
          .setBandwidthBytesPerSecond(BANDWIDTH_BYTES_PER_SECOND)
          .build();
    }

    String describe() {
      return String.format(
          "policies on: the gateway's and %s's, each a quota of %d bytes per %d s and a bandwidth"
              + " of %d bytes/s per consumer; off: none",
          ADDRESS, QUOTA_BYTES, WINDOW_SECONDS, BANDWIDTH_BYTES_PER_SECOND);
    }

    void on() throws Exception {
      for (final AccessPolicy p : policies) {
        api.set(p).get(10, TimeUnit.SECONDS);
      }
    }

    void off() throws Exception {
      if (!api.show().get(10, TimeUnit.SECONDS).isEmpty()) {
        for (final AccessPolicy p : policies) {
          api.clear(p.getScope(), p.getTarget()).get(10, TimeUnit.SECONDS);
        }
      }
    }

    /** The least bytes any of {@code identity}'s policies counted over their window. */
    long counted(final String identity) throws Exception {
      final UsageReport usage = api.usage(identity).get(10, TimeUnit.SECONDS);
      return usage.getRowsList().stream()
          .mapToLong(r -> r.getBytesReceived() + r.getBytesSent())
          .min()
          .orElse(0);
    }
  }
}
