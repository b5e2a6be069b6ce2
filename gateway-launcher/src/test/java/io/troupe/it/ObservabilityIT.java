package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.IdentityRole;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * See why (issue 6): with two real agents serving {@code echo.obs}, a member reads the live
 * load-balancing table and the last decisions with {@code troupe table} and {@code troupe why}; an
 * outsider is refused; and the gateway's counters change, as HiveMQ's JMX reporter shows them, with
 * every routed request, refusal and failover.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObservabilityIT {

  private static GatewayFixture gw;
  private static TroupeAgent dev1;
  private static TroupeAgent dev2;
  private static TroupeConsumer alice;
  private static Map<String, String> asDev2;
  private static Map<String, String> asOutsider;

  /** Released by the test: dev1 holds a request with body "hold" until then. */
  private static final CompletableFuture<Void> release = new CompletableFuture<>();

  @BeforeAll
  static void start() throws Exception {
    // a gateway still stopping in this JVM holds the JMX names of the metrics read here
    GatewayFixture.awaitBackgroundStops();
    // a forward timeout longer than the test holds a request, so that it stays at dev1
    gw =
        GatewayFixture.start(
            "observability",
            GatewayFixture.CONFIG.replace(
                "<forward-timeout-ms>" + GatewayFixture.FORWARD_TIMEOUT_MS + "<",
                "<forward-timeout-ms>30000<"));
    final String dev2Password = gw.addIdentity("dev2", IdentityRole.DEVICE);
    asDev2 = Map.of("TROUPE_USER", "dev2", "TROUPE_PASSWORD", dev2Password);
    asOutsider =
        Map.of(
            "TROUPE_USER",
            "outsider",
            "TROUPE_PASSWORD",
            gw.addIdentity("outsider", IdentityRole.DEVICE));
    dev1 =
        agent("dev1", gw.addIdentity("dev1", IdentityRole.DEVICE))
            .members("dev2")
            .service(
                "echo",
                request -> {
                  final String body = new String(request.body(), StandardCharsets.UTF_8);
                  if (body.equals("busy")) {
                    return CompletableFuture.completedFuture(
                        ServiceResponse.error(503, "busy here"));
                  }
                  final ServiceResponse echo = ServiceResponse.ok(request.body(), "text/plain");
                  return body.equals("hold")
                      ? release.thenApply(v -> echo)
                      : CompletableFuture.completedFuture(echo);
                })
            .build();
    dev1.startBlocking();
    dev2 =
        agent("dev2", dev2Password)
            .service(
                "echo",
                request ->
                    CompletableFuture.completedFuture(
                        ServiceResponse.ok(request.body(), "text/plain")))
            .build();
    dev2.startBlocking();
    alice =
        TroupeConsumer.builder()
            .port(gw.port())
            .user("alice")
            .password(gw.addIdentity("alice", IdentityRole.CONSUMER))
            .build();
    alice.connect().get(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(call("warm").server()).contains("dev1"));
    // A held request stays at dev1 only while dev2 is not measurably faster (TimeoutPolicy): a
    // first answer slowed by a cold, busy JVM would otherwise leave dev1 seconds slower in the
    // router's smoothed latency, and the held request would move to dev2 at its first timeout.
    for (int i = 0; i < WARM_CALLS; i++) {
      assertThat(call("warm").server()).contains("dev1");
    }
  }

  /** Fast answers enough to bring a first answer of seconds under 100 ms of smoothed latency. */
  private static final int WARM_CALLS = 60;

  private static io.troupe.agent.api.TroupeAgentBuilder agent(
      final String device, final String password) {
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId(device)
        .password(password)
        .community("obs")
        .statusInterval(Duration.ofMillis(500));
  }

  @AfterAll
  static void stop() throws Exception {
    release.complete(null);
    for (final AutoCloseable c : new AutoCloseable[] {alice, dev1, dev2}) {
      if (c != null) {
        c.close();
      }
    }
    gw.closeInBackground();
  }

  private static CallResult call(final String body) throws Exception {
    return call("echo.obs", body);
  }

  private static CallResult call(final String address, final String body) throws Exception {
    return alice
        .call(address, body.getBytes(StandardCharsets.UTF_8), fresh())
        .get(15, TimeUnit.SECONDS);
  }

  /**
   * A call of a new session: a consumer's calls otherwise stay with the server that last served
   * them (R8), and each test here starts at the primary.
   */
  private static CallOptions fresh() {
    return CallOptions.defaults().withSession(java.util.UUID.randomUUID().toString());
  }

  private static CommandLineIT.Run troupe(final Map<String, String> env, final String... args)
      throws Exception {
    final List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--port", Integer.toString(gw.port())));
    return CommandLineIT.troupe(env, all.toArray(String[]::new));
  }

  /** The line of {@code server} in {@code troupe table}'s output, split into its columns. */
  private static List<String> row(final String table, final String server) {
    return table
        .lines()
        .filter(l -> l.startsWith(server + " "))
        .map(l -> List.of(l.trim().split("\\s+")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + server + " in:\n" + table));
  }

  @Test
  void tableAndWhy_showTheRequestInProgressAndWhyItWentWhereItDid() throws Exception {
    // given: dev1, the primary, holds a request
    final CompletableFuture<CallResult> held =
        alice.call(
            "echo.obs",
            "hold".getBytes(StandardCharsets.UTF_8),
            fresh().withTimeout(Duration.ofSeconds(60)));

    // then: a member sees it in progress at dev1 in the table
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              final CommandLineIT.Run table = troupe(asDev2, "table", "echo.obs");
              assertThat(table.exit()).as(table.err()).isZero();
              assertThat(table.out()).startsWith("echo.obs (community obs, service echo");
              // SERVER ROLE ENABLED AVAILABILITY PRESENCE IN-PROGRESS ...
              assertThat(row(table.out(), "dev1"))
                  .startsWith("dev1", "PRIMARY", "yes", "AVAILABLE", "ALIVE");
              assertThat(row(table.out(), "dev1").get(5)).startsWith("1/");
              assertThat(row(table.out(), "dev2")).startsWith("dev2", "SECONDARY", "yes");
              assertThat(row(table.out(), "dev2").get(5)).startsWith("0/");
            });

    // when: dev1 answers
    release.complete(null);
    final CallResult answered = held.get(15, TimeUnit.SECONDS);
    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.server()).contains("dev1");

    // and: dev1 answers 503 to the next one, which fails over to dev2
    assertThat(call("busy").server()).contains("dev2");

    // then: nothing in progress, dev1 served one and failed one
    final List<String> dev1Row = row(troupe(asDev2, "table", "echo.obs").out(), "dev1");
    assertThat(dev1Row.get(5)).startsWith("0/");
    assertThat(Long.parseLong(dev1Row.get(10))).as("served").isPositive();
    assertThat(Long.parseLong(dev1Row.get(11))).as("failed: it answered 503").isPositive();

    // and: why tells the primary took the held request by the rule, and what the failover skipped
    final CommandLineIT.Run why = troupe(asDev2, "why", "echo.obs");
    assertThat(why.exit()).as(why.err()).isZero();
    final List<String> lines = why.out().lines().toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("attempt 1: dev1 by PRIMARY_FIRST"));
    assertThat(lines.get(lines.size() - 1))
        .contains("attempt 2: dev2 by PRIMARY_FIRST; skipped dev1 (already tried)");

    // and: an outsider is refused (exit 3), an unknown address is not found (exit 4)
    final CommandLineIT.Run outsider = troupe(asOutsider, "table", "echo.obs");
    assertThat(outsider.exit()).as(outsider.err()).isEqualTo(3);
    assertThat(outsider.out()).doesNotContain("dev1");
    final CommandLineIT.Run unknown = troupe(asDev2, "why", "nothing.obs");
    assertThat(unknown.exit()).as(unknown.err()).isEqualTo(4);
  }

  @Test
  void tableWatch_refreshesUntilStopped() throws Exception {
    final ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            AgentProcess.cliJar().toString(),
            "table",
            "echo.obs",
            "--watch",
            "--port",
            Integer.toString(gw.port()));
    pb.environment().keySet().removeIf(k -> k.startsWith("TROUPE_"));
    pb.environment().putAll(asDev2);
    pb.redirectErrorStream(true);
    final Process watch = pb.start();
    final StringBuffer out = new StringBuffer();
    final Thread reader =
        new Thread(
            () -> {
              try {
                watch.getInputStream().transferTo(new StringBufferStream(out));
              } catch (final java.io.IOException e) {
                out.append("\nread failed: ").append(e);
              }
            });
    reader.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(out.toString().split("echo.obs \\(community obs", -1))
                      .as(out.toString())
                      .hasSizeGreaterThan(3));
      assertThat(watch.isAlive()).as("still watching").isTrue();
    } finally {
      watch.destroy();
      assertThat(watch.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
    }
  }

  /** Collects what a process prints. */
  private static final class StringBufferStream extends java.io.OutputStream {
    private final StringBuffer into;

    StringBufferStream(final StringBuffer into) {
      this.into = into;
    }

    @Override
    public void write(final int b) {
      into.append((char) b);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) {
      into.append(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }

  @Test
  void metrics_areReadThroughJmx_andFollowRoutedRequestsRefusalsAndFailovers() throws Exception {
    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    final Map<String, Long> before = counts(jmx);

    for (int i = 0; i < 3; i++) {
      assertThat(call("hello " + i).status()).isEqualTo(200);
    }
    assertThat(call("nothing.obs", "x").status()).isEqualTo(404);
    assertThat(call("busy").server()).contains("dev2");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              final Map<String, Long> after = counts(jmx);
              assertThat(delta(before, after, "requests")).isEqualTo(5);
              assertThat(delta(before, after, "decision.time")).isEqualTo(5);
              assertThat(delta(before, after, "answers")).isEqualTo(4);
              assertThat(delta(before, after, "refusals.404")).isEqualTo(1);
              assertThat(delta(before, after, "refusals.total")).isEqualTo(1);
              assertThat(delta(before, after, "failovers.unavailable")).isEqualTo(1);
              assertThat(delta(before, after, "failovers.timeout")).isZero();
            });
    assertThat(
            jmx.getAttribute(
                new ObjectName("metrics", "name", "io.troupe.gateway.pending"), "Value"))
        .isEqualTo(0);
  }

  private static final List<String> COUNTED =
      List.of(
          "requests",
          "decision.time",
          "answers",
          "refusals.404",
          "refusals.total",
          "failovers.unavailable",
          "failovers.timeout");

  /** The {@code Count} of each counted metric, 0 for one not registered yet. */
  private static Map<String, Long> counts(final MBeanServer jmx) throws Exception {
    final Map<String, Long> counts = new java.util.HashMap<>();
    for (final String name : COUNTED) {
      final ObjectName bean = new ObjectName("metrics", "name", "io.troupe.gateway." + name);
      counts.put(
          name,
          jmx.isRegistered(bean) ? ((Number) jmx.getAttribute(bean, "Count")).longValue() : 0);
    }
    return counts;
  }

  private static long delta(
      final Map<String, Long> before, final Map<String, Long> after, final String name) {
    return after.get(name) - before.get(name);
  }
}
