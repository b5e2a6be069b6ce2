package io.troupe.bench;

import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Many consumers, each sending one request a second, routed through Troupe (two echo agents,
 * primary and secondary) against direct MQTT 5 request/response (a Paho echo responder tuned as the
 * agent is), with the same consumer code and client settings. Each side runs on a freshly started
 * gateway with fresh responders: first cold (nothing served yet), then warm; cold is compared with
 * cold and warm with warm. Pairs of sides run in ABBA order (routed first in odd pairs). Reports
 * answered (2xx), 504, other failures and lost for every run, then the routed/direct p50 and p99
 * ratios, cold and warm, as median and worst over the pairs.
 *
 * <p>Usage: {@code ./troupe bench soak [consumers] [seconds] [pairs]} (defaults 200, 20 and 3; the
 * issue's full size is 1000 and 60).
 */
final class SoakBenchmark {

  /** Client ids per identity: well under the gateway's bindings per identity. */
  private static final int CLIENTS_PER_IDENTITY = 250;

  private SoakBenchmark() {}

  static void main(final String[] args) throws Exception {
    final int consumers = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    final int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    run(consumers, seconds, pairs);
  }

  /** One side's two runs on one fresh gateway. */
  record Side(Soak.Result cold, Soak.Result warm) {}

  /** The sides of each pair, and the ratios. */
  record Outcome(List<Side> routed, List<Side> direct) {

    /** Every run, routed and direct. */
    List<Soak.Result> runs() {
      final List<Soak.Result> all = new ArrayList<>();
      for (int i = 0; i < routed.size(); i++) {
        all.addAll(List.of(routed.get(i).cold(), routed.get(i).warm()));
        all.addAll(List.of(direct.get(i).cold(), direct.get(i).warm()));
      }
      return all;
    }
  }

  /** Runs {@code pairs} pairs of sides, prints every run and the ratios, and returns them. */
  static Outcome run(final int consumers, final int seconds, final int pairs) throws Exception {
    if (consumers < 1 || seconds < 1 || pairs < 1) {
      throw new IllegalArgumentException("consumers, seconds and pairs must be at least 1");
    }
    System.out.printf(
        "Troupe soak: %d consumers at one request a second for %d s, routed (2 echo agents)"
            + " against direct MQTT 5 request/response, each side on a fresh gateway, cold then"
            + " warm, %d pairs in ABBA order%n",
        consumers, seconds, pairs);
    final ScheduledExecutorService shared =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              final Thread t = new Thread(r, "soak-timer");
              t.setDaemon(true);
              return t;
            });
    final List<Side> routed = new ArrayList<>();
    final List<Side> direct = new ArrayList<>();
    try {
      for (int pair = 1; pair <= pairs; pair++) {
        final boolean routedFirst = PairedRatios.otherFirst(pair);
        for (final boolean isRouted : new boolean[] {routedFirst, !routedFirst}) {
          if (isRouted) {
            routed.add(routedSide(consumers, seconds, shared));
          } else {
            direct.add(directSide(consumers, seconds, shared));
          }
        }
      }
    } finally {
      shared.shutdownNow();
    }
    final Outcome outcome = new Outcome(routed, direct);
    report(outcome);
    return outcome;
  }

  private static void report(final Outcome outcome) {
    System.out.println();
    System.out.println(Soak.header());
    for (final Soak.Result r : outcome.runs()) {
      System.out.println(r.line());
    }
    final int failed =
        outcome.runs().stream().mapToInt(r -> r.timeouts() + r.otherFailures() + r.lost()).sum();
    final int sent = outcome.runs().stream().mapToInt(Soak.Result::sent).sum();
    System.out.println(
        failed == 0
            ? "every call served (" + sent + " calls)"
            : "FAILED: " + failed + " of " + sent + " calls not served");
    System.out.printf("routed/direct, cold with cold: %s%n", ratios(outcome, Side::cold));
    System.out.printf("routed/direct, warm with warm: %s%n", ratios(outcome, Side::warm));
  }

  /** "p50 median a worst b; p99 median c worst d (n pairs)". */
  private static String ratios(
      final Outcome outcome, final java.util.function.Function<Side, Soak.Result> which) {
    final int n = outcome.routed().size();
    final double[] p50 = new double[n];
    final double[] p99 = new double[n];
    for (int i = 0; i < n; i++) {
      final Soak.Result r = which.apply(outcome.routed().get(i));
      final Soak.Result d = which.apply(outcome.direct().get(i));
      p50[i] = r.p50Ms() / d.p50Ms();
      p99[i] = r.p99Ms() / d.p99Ms();
    }
    java.util.Arrays.sort(p50);
    java.util.Arrays.sort(p99);
    return String.format(
        "p50 median %.2f worst %.2f; p99 median %.2f worst %.2f (%d pairs)",
        median(p50), p50[n - 1], median(p99), p99[n - 1], n);
  }

  private static double median(final double[] sorted) {
    final int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A fresh gateway, its identities added as admin: the passwords by name. */
  private static java.util.Map<String, String> identities(
      final EmbeddedGateway gateway,
      final int port,
      final String prefix,
      final int consumers,
      final IdentityRole consumerRole,
      final String... servers)
      throws Exception {
    final java.util.Map<String, IdentityRole> names = new java.util.LinkedHashMap<>();
    for (int i = 0; i < (consumers + CLIENTS_PER_IDENTITY - 1) / CLIENTS_PER_IDENTITY; i++) {
      names.put(prefix + i, consumerRole);
    }
    for (final String server : servers) {
      names.put(server, server.startsWith("soak-dev") ? IdentityRole.DEVICE : IdentityRole.ADMIN);
    }
    return BenchSupport.identities(gateway, port, names);
  }

  private static Side routedSide(
      final int consumers, final int seconds, final ScheduledExecutorService shared)
      throws Exception {
    try (EmbeddedGateway gateway = gateway()) {
      final int port = gateway.port();
      gateway.start();
      final java.util.Map<String, String> pw =
          identities(
              gateway, port, "soak-c", consumers, IdentityRole.CONSUMER, "soak-dev1", "soak-dev2");
      try (TroupeAgent dev1 = agent(port, "soak-dev1", pw.get("soak-dev1"), "soak-dev2");
          TroupeAgent dev2 = agent(port, "soak-dev2", pw.get("soak-dev2"))) {
        dev1.startBlocking();
        dev2.startBlocking();
        return coldThenWarm(
            "routed",
            consumers,
            seconds,
            shared,
            (i, clientId) ->
                new Requester(
                    client(port, "soak-c", pw, i, clientId, shared),
                    "troupe/s/echo.soak",
                    "troupe/r/" + clientId + "/resp"),
            "soak-c");
      }
    }
  }

  private static Side directSide(
      final int consumers, final int seconds, final ScheduledExecutorService shared)
      throws Exception {
    try (EmbeddedGateway gateway = gateway()) {
      final int port = gateway.port();
      gateway.start();
      final java.util.Map<String, String> pw =
          identities(gateway, port, "soak-d", consumers, IdentityRole.ADMIN, "soak-responder");
      try (EchoResponder responder =
          new EchoResponder(
              BenchSupport.open(port, "soak-responder", "soak-responder", pw.get("soak-responder")),
              "soak/req")) {
        return coldThenWarm(
            "direct",
            consumers,
            seconds,
            shared,
            (i, clientId) ->
                new Requester(
                    client(port, "soak-d", pw, i, clientId, shared),
                    "soak/req",
                    "soak/resp/" + clientId),
            "soak-d");
      }
    }
  }

  /** Connects the consumers, runs them cold, then warm, and disconnects them. */
  private static Side coldThenWarm(
      final String path,
      final int consumers,
      final int seconds,
      final ScheduledExecutorService shared,
      final Connect connect,
      final String prefix)
      throws Exception {
    final List<Requester> clients = connectAll(consumers, connect, prefix);
    try {
      return new Side(
          Soak.run(path + " cold", clients, seconds, shared),
          Soak.run(path + " warm", clients, seconds, shared));
    } finally {
      closeAll(clients);
    }
  }

  /** MQTT only: a CoAP bridge would contend for UDP 5684 with any other gateway running. */
  private static EmbeddedGateway gateway() throws java.io.IOException {
    return BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>");
  }

  private static TroupeAgent agent(
      final int port, final String id, final String password, final String... members) {
    return TroupeAgent.builder()
        .port(port)
        .deviceId(id)
        .password(password)
        .community("soak")
        .members(members)
        .service("echo", ServiceHandler.echo())
        .handlerThreads(BenchSupport.HANDLER_THREADS)
        .build();
  }

  /** A connection made by index. */
  @FunctionalInterface
  interface Connect {
    Requester open(int index, String clientId) throws Exception;
  }

  /**
   * Consumer {@code i}'s connection: identity {@code prefix + i / CLIENTS_PER_IDENTITY}, whose
   * password is in {@code passwords} under that name.
   */
  private static org.eclipse.paho.mqttv5.client.MqttAsyncClient client(
      final int port,
      final String prefix,
      final java.util.Map<String, String> passwords,
      final int i,
      final String clientId,
      final ScheduledExecutorService shared)
      throws Exception {
    final String identity = prefix + i / CLIENTS_PER_IDENTITY;
    return BenchSupport.connect(port, clientId, identity, passwords.get(identity), shared);
  }

  /**
   * Connects {@code n} consumers, client ids {@code prefix + identity + "-" + i}, eight at once.
   */
  private static List<Requester> connectAll(final int n, final Connect connect, final String prefix)
      throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      final List<Future<Requester>> pending = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        final int index = i;
        final String clientId = prefix + (index / CLIENTS_PER_IDENTITY) + "-" + index;
        pending.add(pool.submit(() -> connect.open(index, clientId)));
      }
      final List<Requester> clients = new ArrayList<>();
      for (final Future<Requester> f : pending) {
        clients.add(f.get());
      }
      return clients;
    } finally {
      pool.shutdown();
    }
  }

  /** Disconnects every client, sixteen at a time. */
  private static void closeAll(final List<Requester> clients) throws InterruptedException {
    final ExecutorService pool = Executors.newFixedThreadPool(16);
    for (final Requester r : clients) {
      pool.execute(
          () -> {
            try {
              r.close();
            } catch (final Exception e) {
              // closing at the end: nothing to do
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
  }
}
