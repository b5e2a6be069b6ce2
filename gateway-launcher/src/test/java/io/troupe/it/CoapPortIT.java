package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.contract.CoapKeys;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.launcher.LoopbackPorts;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateways on one machine: each needs its own CoAP port. A taken one stops the gateway with one
 * line naming the port, the setting and the flag (it said the broker let an anonymous client in),
 * and {@code --coap-port 0} lets the second one serve beside the first.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CoapPortIT {

  private static final Pattern COAPS =
      Pattern.compile("CoAP over DTLS: coaps://127\\.0\\.0\\.1:(\\d+)");

  @Test
  void coapPortTaken_failsWithOneLineNamingThePortTheSettingAndTheFlag() throws Exception {
    // given another program (another gateway, for one) holding the DTLS port
    try (DatagramSocket holder = loopbackUdp()) {
      final int taken = holder.getLocalPort();

      assertStopsWithOneLine(
          gateway("<troupe><coap><dtls><port>" + taken + "</port></dtls></coap></troupe>"),
          "UDP port " + taken,
          "CoAP over DTLS",
          "<coap><dtls><port>",
          "--coap-port");
    }
  }

  @Test
  void plainPortTakenThroughItsFlag_namesThePlainSettingAndFlag() throws Exception {
    // given plain CoAP configured on 5683, moved by --coap-plain-port onto a port that is taken
    try (DatagramSocket holder = loopbackUdp()) {
      final int taken = holder.getLocalPort();
      final EmbeddedGateway.Builder gateway =
          gateway(
                  "<troupe><coap><dtls><port>0</port></dtls><plain><bind>127.0.0.1</bind>"
                      + "<port>5683</port><act-as>admin</act-as></plain></coap></troupe>")
              .coapPlainPort(taken);

      assertStopsWithOneLine(
          gateway, "UDP port " + taken, "plain CoAP", "<coap><plain><port>", "--coap-plain-port");
    }
  }

  private static EmbeddedGateway.Builder gateway(final String extensionConfig) throws Exception {
    return EmbeddedGateway.builder()
        .home(Files.createDirectories(Path.of("target", "it", "coap-port-" + System.nanoTime())))
        .port(freeTcpPort())
        .extensionZip(Path.of(System.getProperty("troupe.extension.zip")))
        .inMemoryPersistence(true)
        .extensionConfig(extensionConfig);
  }

  /** The start fails with one line holding each of {@code expected}; nothing is left listening. */
  private static void assertStopsWithOneLine(
      final EmbeddedGateway.Builder settings, final String... expected) {
    final EmbeddedGateway gateway = settings.build();
    assertThatThrownBy(gateway::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("anonymous")
        .satisfies(e -> assertThat(e.getMessage()).contains(expected).doesNotContain("\n"));
    assertThatThrownBy(() -> new Socket("127.0.0.1", gateway.port()).close())
        .as("the broker was stopped, not left open")
        .isInstanceOf(ConnectException.class);
  }

  private static DatagramSocket loopbackUdp() throws Exception {
    return new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @Test
  void twoGatewaysOnOneMachine_theSecondWithCoapPortZero_bothServe() throws Exception {
    final Path root =
        Files.createDirectories(Path.of("target", "it", "two-gateways-" + System.nanoTime()));
    final int firstCoap = freeUdpPort();
    // started at once: each waits mostly for its own JVM
    try (GatewayProcess first =
            GatewayProcess.launch(
                Files.createDirectories(root.resolve("first")),
                freeTcpPort(),
                "--coap-port",
                Integer.toString(firstCoap));
        GatewayProcess second =
            GatewayProcess.launch(
                Files.createDirectories(root.resolve("second")),
                freeTcpPort(),
                "--coap-port",
                "0")) {
      first.awaitServing();
      second.awaitServing();
      final int firstBound = printedCoapPort(first);
      final int secondBound = printedCoapPort(second);

      assertThat(firstBound).isEqualTo(firstCoap);
      assertThat(secondBound).isPositive().isNotEqualTo(firstCoap);
      assertServesCoap(first, firstBound);
      assertServesCoap(second, secondBound);
    }
  }

  /** The port the launcher printed as bound. */
  private static int printedCoapPort(final GatewayProcess gateway) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              final Matcher m = COAPS.matcher(gateway.output());
              return m.find() ? Integer.parseInt(m.group(1)) : 0;
            },
            port -> port > 0);
  }

  /** A DTLS handshake as the admin and an answer from the bridge: it serves. */
  private static void assertServesCoap(final GatewayProcess gateway, final int port)
      throws Exception {
    final String key =
        CoapKeys.read(gateway.home.resolve("extensions").resolve("troupe-gateway")).keyOf("admin");
    try (CoapTestClient c = CoapTestClient.dtls("admin", key)) {
      final CoapResponse response = c.at("coaps://127.0.0.1:" + port + "/s/nothing.here").get();
      assertThat(response).as("an answer from the gateway on " + port).isNotNull();
      assertThat(response.getCode().codeClass).as(response.getCode().name()).isEqualTo(4);
    }
  }

  private static int freeTcpPort() throws Exception {
    return LoopbackPorts.freeTcp();
  }

  private static int freeUdpPort() throws Exception {
    return LoopbackPorts.freeUdp();
  }
}
