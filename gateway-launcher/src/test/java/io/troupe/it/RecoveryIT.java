package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After the gateway restarts on the same folder, agents are back within 2 s of it listening: a
 * library agent in this JVM and a command-line agent in its own process, which says so in single
 * log lines, with no stack trace. The time is measured from the first TCP connection the restarted
 * gateway accepts to the first request it has served again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryIT {

  private static final Duration REJOIN_BUDGET = Duration.ofSeconds(2);

  private static Path home;
  private static int port;
  private static String consumer;
  private static TroupeAgent libraryAgent;
  private static AgentProcess cliAgent;
  private static long listeningNanos;
  private static GatewayFixture restarted;
  private static final Map<String, Duration> rejoined = new ConcurrentHashMap<>();

  @BeforeAll
  static void serveThenRestartTheGateway() throws Exception {
    home = Files.createDirectories(Path.of("target", "it", "recovery-" + System.nanoTime()));
    port = GatewayFixture.freePort();
    try (GatewayFixture gw = GatewayFixture.start(home, port)) {
      consumer = gw.addIdentity("watcher", IdentityRole.CONSUMER);
      libraryAgent =
          TroupeAgent.builder()
              .port(port)
              .deviceId("phoenix")
              .password(gw.addIdentity("phoenix", IdentityRole.DEVICE))
              .community("rise")
              .members("ember")
              .service("echo", ServiceHandler.echo())
              .build();
      libraryAgent.startBlocking();
      cliAgent =
          AgentProcess.echo(
              port, "ember", gw.addIdentity("ember", IdentityRole.DEVICE), "rise", "flame");
      await().atMost(Duration.ofSeconds(30)).until(() -> cliAgent.serving() || !cliAgent.alive());
      assertThat(cliAgent.serving()).as(cliAgent.log()).isTrue();
      try (MqttTestClient c = watcher()) {
        assertThat(served(c, "echo.rise")).isTrue();
        assertThat(served(c, "flame.rise")).isTrue();
      }
    }
    // the agents now retry against a closed port, their backoff at its cap
    final AtomicLong listening = new AtomicLong();
    final CompletableFuture<Void> watch = CompletableFuture.runAsync(() -> watchPort(listening));
    restarted = GatewayFixture.start(home, port);
    watch.get(5, TimeUnit.SECONDS);
    listeningNanos = listening.get();
    try (MqttTestClient c = watcher()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> servedAgain(c, "echo.rise") & servedAgain(c, "flame.rise"));
    }
  }

  private static MqttTestClient watcher() throws Exception {
    final MqttTestClient c =
        MqttTestClient.connect(port, "watcher-" + System.nanoTime(), "watcher", consumer);
    c.subscribe("troupe/r/" + c.clientId + "/#");
    return c;
  }

  /** Whether {@code address} is served now, recording how long after listening it first was. */
  private static boolean servedAgain(final MqttTestClient c, final String address)
      throws Exception {
    if (rejoined.containsKey(address)) {
      return true;
    }
    if (!served(c, address)) {
      return false;
    }
    final Duration after = Duration.ofNanos(System.nanoTime() - listeningNanos);
    rejoined.put(address, after);
    System.out.printf(
        "RecoveryIT: %s served again %d ms after the gateway listened%n",
        address, after.toMillis());
    return true;
  }

  /** Records when the port first accepts a connection. */
  private static void watchPort(final AtomicLong listening) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                listening.set(System.nanoTime());
                return true;
              } catch (final IOException e) {
                return false;
              }
            });
  }

  @AfterAll
  static void stop() throws Exception {
    if (cliAgent != null) {
      cliAgent.close();
    }
    if (libraryAgent != null) {
      libraryAgent.close();
    }
    if (restarted != null) {
      restarted.close();
    }
  }

  /** One call with a one-second deadline; true when it was served. */
  private static boolean served(final MqttTestClient c, final String address) throws Exception {
    final MqttTestClient.Sent sent =
        c.request("troupe/s/" + address, "ping", "troupe/r/" + c.clientId + "/r", Map.of(), 1L);
    try {
      return sent.answer().get(1_500, TimeUnit.MILLISECONDS).status() == 200;
    } catch (final java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  @Test
  void libraryAgent_servesAgainWithin2sOfTheGatewayListening() {
    assertThat(rejoined.get("echo.rise")).isLessThan(REJOIN_BUDGET);
  }

  @Test
  void cliAgent_servesAgainWithin2s_andLogsOneLinePerEventWithoutStackTraces() {
    assertThat(rejoined.get("flame.rise")).isLessThan(REJOIN_BUDGET);
    final List<String> traces =
        cliAgent.output().stream()
            .filter(
                l ->
                    l.startsWith("\tat ")
                        || l.startsWith("Caused by")
                        || l.trim().startsWith("... "))
            .toList();
    assertThat(traces).as(cliAgent.log()).isEmpty();
    assertThat(cliAgent.log()).contains("reconnected [client: ember");
  }
}
