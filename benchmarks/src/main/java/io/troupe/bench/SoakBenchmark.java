package io.troupe.bench;

import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.nio.file.Path;
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
    final Path home =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "troupe-bench");
    final int port = BenchSupport.freePort();
    final ScheduledExecutorService shared =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              final Thread t = new Thread(r, "soak-timer");
              t.setDaemon(true);
              return t;
            });
    try (EmbeddedGateway gateway =
        EmbeddedGateway.builder()
            .home(home)
            .port(port)
            .extensionZip(BenchSupport.zip())
            .inMemoryPersistence(true)
            .build()) {
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
                i -> {
                  final String clientId = "soak-c" + (i / CLIENTS_PER_IDENTITY) + "-" + i;
                  return new Requester(
                      BenchSupport.connect(
                          port,
                          clientId,
                          "soak-c" + (i / CLIENTS_PER_IDENTITY),
                          routedPw.get(i / CLIENTS_PER_IDENTITY),
                          shared),
                      "troupe/s/echo.soak",
                      "troupe/r/" + clientId + "/resp");
                });
        final Soak.Result cold = Soak.run("routed cold", routed, seconds, shared);
        final List<Requester> direct =
            connectAll(
                consumers,
                i -> {
                  final String clientId = "soak-d" + (i / CLIENTS_PER_IDENTITY) + "-" + i;
                  return new Requester(
                      BenchSupport.connect(
                          port,
                          clientId,
                          "soak-d" + (i / CLIENTS_PER_IDENTITY),
                          directPw.get(i / CLIENTS_PER_IDENTITY),
                          shared),
                      "soak/req",
                      "soak/resp/" + clientId);
                });
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
    Requester open(int index) throws Exception;
  }

  /** Connects {@code n} consumers, eight at a time. */
  private static List<Requester> connectAll(final int n, final Connect connect) throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      final List<Future<Requester>> pending = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        final int index = i;
        pending.add(pool.submit(() -> connect.open(index)));
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
