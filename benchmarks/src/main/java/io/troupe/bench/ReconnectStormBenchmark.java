package io.troupe.bench;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The reconnect storm (issue 11): {@code N} devices with passwords the gateway generated and {@code
 * M} consumers of one identity connect at once to a gateway just restarted on an existing home, in
 * its own process, with the shipped login settings (600,000 PBKDF2 iterations for passwords people
 * choose). Reports the time until every CONNACK and the CPU seconds the gateway process spent
 * meanwhile (logins, and the sessions HiveMQ opens for them). Aims: all CONNACKs of 10,000 devices
 * within 30 s on a 2-core machine, none refused.
 *
 * <p>Usage: {@code ./troupe bench storm [devices] [consumers]} (default 1,000 and 100). Each client
 * is a socket: raise the open-file limit ({@code ulimit -n 30000}) for 10,000.
 */
final class ReconnectStormBenchmark {

  private static final String CONFIG = "<troupe><coap><enabled>false</enabled></coap></troupe>";
  private static final int THREADS = 4;
  private static final int WARM_BATCH = 200;

  /** One storm's figures. */
  record Result(
      int devices, int consumers, double connackSeconds, double cpuSeconds, int refused) {}

  private ReconnectStormBenchmark() {}

  static void main(final String[] args) throws Exception {
    final int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    final int consumers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    final Result r = run(devices, consumers);
    System.out.printf(
        "Troupe reconnect storm: %d devices (generated secrets) + %d consumers of one identity,"
            + " gateway restarted on an existing home in its own process%n",
        r.devices(), r.consumers());
    System.out.printf(
        "all CONNACKs in %.2f s, gateway CPU %.2f s, refused %d%n",
        r.connackSeconds(), r.cpuSeconds(), r.refused());
  }

  /** Builds a home with the identities, restarts the gateway on it in a process, storms it. */
  static Result run(final int devices, final int consumers) throws Exception {
    final Path home =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "troupe-storm");
    final int port = BenchSupport.freePort();
    final List<StormClients.Client> clients = new ArrayList<>();
    try (EmbeddedGateway gateway =
        EmbeddedGateway.builder()
            .home(home)
            .port(port)
            .extensionZip(BenchSupport.zip())
            .inMemoryPersistence(true)
            .extensionConfig(CONFIG)
            .build()) {
      gateway.start();
      final String admin = Files.readString(gateway.adminSecretFile()).trim();
      clients.addAll(addIdentities(port, admin, devices, consumers));
      // the fleet ran before the restart: each client id is bound to its identity already
      for (int from = 0; from < clients.size(); from += WARM_BATCH) {
        storm(clients.subList(from, Math.min(clients.size(), from + WARM_BATCH)), port);
      }
    }
    final Process process = launch(home, port);
    try {
      final Duration startCpu = awaitReady(process, port, clients.get(0));
      final long started = System.nanoTime();
      final int refused = storm(clients, port);
      final double seconds = (System.nanoTime() - started) / 1e9;
      final Duration cpu = cpu(process).minus(startCpu);
      return new Result(devices, consumers, seconds, cpu.toMillis() / 1e3, refused);
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      deleteTree(home);
    }
  }

  /** Removes the storm's home: each run leaves nothing behind in the temporary folder. */
  private static void deleteTree(final Path home) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(home)) {
      for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<StormClients.Client> addIdentities(
      final int port, final String admin, final int devices, final int consumers) {
    final List<StormClients.Client> clients = new ArrayList<>();
    try (TroupeConsumer a =
        TroupeConsumer.builder().port(port).user("admin").password(admin).build()) {
      a.connect().join();
      final List<String> names = new ArrayList<>();
      final List<CompletableFuture<GatewayResponse>> added = new ArrayList<>();
      for (int i = 0; i <= devices; i++) {
        final String name = i < devices ? "storm-dev-" + i : "storm-pool";
        final IdentityRole role = i < devices ? IdentityRole.DEVICE : IdentityRole.CONSUMER;
        names.add(name);
        added.add(
            a.gatewayApi(
                GatewayRequest.newBuilder()
                    .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role))
                    .build()));
        if (added.size() % 8 == 0) {
          added.get(added.size() - 8).join(); // a few in flight, no more
        }
      }
      for (int i = 0; i < names.size(); i++) {
        final String password = added.get(i).join().getIdentity().getPassword();
        if (i < devices) {
          clients.add(new StormClients.Client(names.get(i), names.get(i), password));
        } else {
          for (int c = 0; c < consumers; c++) {
            clients.add(new StormClients.Client("storm-pool-" + c, names.get(i), password));
          }
        }
      }
    }
    return clients;
  }

  /** The gateway in its own process, as a user starts it, with this JVM's class path. */
  private static Process launch(final Path home, final int port) throws IOException {
    final List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "io.troupe.launcher.GatewayLauncher",
            "--home",
            home.toString(),
            "--port",
            Integer.toString(port),
            "--extension-zip",
            BenchSupport.zip().toAbsolutePath().toString(),
            "--in-memory");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("gateway-process.log").toFile())
        .start();
  }

  /** Waits until {@code probe} can log in, then returns the process's CPU time so far. */
  private static Duration awaitReady(
      final Process process, final int port, final StormClients.Client probe) throws Exception {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the gateway exited: see its home's gateway-process.log");
      }
      try (StormClients one = new StormClients()) {
        one.connectAll(List.of(probe), port, 60_000);
        if (one.refusals() == 0) {
          return cpu(process);
        }
      } catch (final RuntimeException e) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(200); // polling a starting process, not timing anything
    }
    throw new IllegalStateException("the gateway did not start within 120 s");
  }

  /** Every client connects at once, split over a few threads; returns how many were refused. */
  private static int storm(final List<StormClients.Client> clients, final int port)
      throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    final List<StormClients> slices = new ArrayList<>();
    try {
      final List<Future<?>> sent = new ArrayList<>();
      final int per = (clients.size() + THREADS - 1) / THREADS;
      for (int t = 0; t < THREADS; t++) {
        final List<StormClients.Client> slice =
            clients.subList(
                Math.min(clients.size(), t * per), Math.min(clients.size(), (t + 1) * per));
        final StormClients s = new StormClients();
        slices.add(s);
        final int offset = t * per;
        sent.add(pool.submit(() -> s.connectAll(slice, port, offset)));
      }
      for (final Future<?> f : sent) {
        f.get();
      }
      final List<Future<Integer>> refused = new ArrayList<>();
      for (final StormClients s : slices) {
        refused.add(pool.submit(s::refusals));
      }
      int total = 0;
      for (final Future<Integer> f : refused) {
        total += f.get();
      }
      for (final StormClients s : slices) {
        s.refusalCodes()
            .forEach((code, n) -> System.out.printf("refused with 0x%02X: %d%n", code, n));
      }
      return total;
    } finally {
      slices.forEach(StormClients::close);
      pool.shutdown();
    }
  }

  private static Duration cpu(final Process process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
