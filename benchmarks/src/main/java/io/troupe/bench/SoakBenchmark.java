package io.troupe.bench;

import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Many consumers, each sending one request a second, routed through Troupe (a freshly started
 * gateway and two echo agents, primary and secondary) against direct MQTT 5 request/response on the
 * same broker (a Paho echo responder), with the same consumer code and client settings. Runs, in
 * order: routed cold (the gateway and agents have served nothing yet), direct, routed warm, direct
 * again; reports answered, 504, other failures and lost for each, p50 and p99, and the
 * routed/direct ratios of each pair.
 *
 * <p>Usage: {@code ./troupe bench soak [consumers] [seconds]} (defaults 200 and 20; the issue's
 * full size is 1000 and 60).
 */
final class SoakBenchmark {

  /** Client ids per identity: well under the gateway's bindings per identity. */
  private static final int CLIENTS_PER_IDENTITY = 250;

  private SoakBenchmark() {}

  static void main(final String[] args) throws Exception {
    final int consumers = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    final ScheduledExecutorService shared =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              final Thread t = new Thread(r, "soak-timer");
              t.setDaemon(true);
              return t;
            });
    // MQTT only: a CoAP bridge would contend for UDP 5684 with any other gateway running
    try (EmbeddedGateway gateway =
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final String admin = Files.readString(gateway.adminSecretFile()).trim();
      final int identities = (consumers + CLIENTS_PER_IDENTITY - 1) / CLIENTS_PER_IDENTITY;
      final List<String> routedPw = new ArrayList<>();
      final List<String> directPw = new ArrayList<>();
      final String dev1Pw;
      final String dev2Pw;
      final String responderPw;
      try (TroupeConsumer a =
          TroupeConsumer.builder().port(port).user("admin").password(admin).build()) {
        a.connect().join();
        for (int i = 0; i < identities; i++) {
          routedPw.add(BenchSupport.add(a, "soak-c" + i, IdentityRole.CONSUMER));
          directPw.add(BenchSupport.add(a, "soak-d" + i, IdentityRole.ADMIN));
        }
        dev1Pw = BenchSupport.add(a, "soak-dev1", IdentityRole.DEVICE);
        dev2Pw = BenchSupport.add(a, "soak-dev2", IdentityRole.DEVICE);
        responderPw = BenchSupport.add(a, "soak-responder", IdentityRole.ADMIN);
      }
      System.out.printf(
          "Troupe soak: %d consumers at one request a second for %d s, routed (2 echo agents)"
              + " against direct MQTT 5 request/response on the same broker%n",
          consumers, seconds);
      try (TroupeAgent dev1 = agent(port, "soak-dev1", dev1Pw, "soak-dev2");
          TroupeAgent dev2 = agent(port, "soak-dev2", dev2Pw);
          EchoResponder responder =
              new EchoResponder(
                  BenchSupport.connect(
                      port, "soak-responder", "soak-responder", responderPw, shared),
                  "soak/req")) {
        dev1.startBlocking();
        dev2.startBlocking();
        final List<Requester> routed =
            connectAll(
                consumers,
                (i, clientId) ->
                    new Requester(
                        client(port, "soak-c", routedPw, i, clientId, shared),
                        "troupe/s/echo.soak",
                        "troupe/r/" + clientId + "/resp"),
                "soak-c");
        final Soak.Result cold = Soak.run("routed cold", routed, seconds, shared);
        final List<Requester> direct =
            connectAll(
                consumers,
                (i, clientId) ->
                    new Requester(
                        client(port, "soak-d", directPw, i, clientId, shared),
                        "soak/req",
                        "soak/resp/" + clientId),
                "soak-d");
        final Soak.Result direct1 = Soak.run("direct", direct, seconds, shared);
        final Soak.Result warm = Soak.run("routed warm", routed, seconds, shared);
        final Soak.Result direct2 = Soak.run("direct", direct, seconds, shared);
        System.out.println(Soak.header());
        for (final Soak.Result r : List.of(cold, direct1, warm, direct2)) {
          System.out.println(r.line());
        }
        System.out.printf(
            "routed/direct: cold p50 %.2f p99 %.2f; warm p50 %.2f p99 %.2f%n",
            cold.p50Ms() / direct1.p50Ms(),
            cold.p99Ms() / direct1.p99Ms(),
            warm.p50Ms() / direct2.p50Ms(),
            warm.p99Ms() / direct2.p99Ms());
        closeAll(routed);
        closeAll(direct);
      }
    } finally {
      shared.shutdownNow();
    }
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
        .handlerThreads(2)
        .build();
  }

  /** A connection made by index. */
  @FunctionalInterface
  interface Connect {
    Requester open(int index, String clientId) throws Exception;
  }

  /** Connects {@code n} consumers, eight at a time. */
  /**
   * Consumer {@code i}'s connection: identity {@code prefix + i / CLIENTS_PER_IDENTITY}, whose
   * password is in {@code passwords} at that index.
   */
  private static org.eclipse.paho.mqttv5.client.MqttAsyncClient client(
      final int port,
      final String prefix,
      final List<String> passwords,
      final int i,
      final String clientId,
      final ScheduledExecutorService shared)
      throws Exception {
    final int identity = i / CLIENTS_PER_IDENTITY;
    return BenchSupport.connect(port, clientId, prefix + identity, passwords.get(identity), shared);
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
