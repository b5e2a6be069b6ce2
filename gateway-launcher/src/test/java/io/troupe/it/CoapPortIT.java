package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.contract.CoapKeys;
import io.troupe.launcher.EmbeddedGateway;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CoapPortIT {

  private static final Pattern COAPS =
      Pattern.compile("CoAP over DTLS: coaps://127\\.0\\.0\\.1:(\\d+)");

  @Test
  void coapPortTaken_failsWithOneLineNamingThePortTheSettingAndTheFlag() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "coap-port-taken-" + System.nanoTime()));
    final int mqtt = freeTcpPort();
    // given another program (another gateway, for one) holding the DTLS port
    try (DatagramSocket holder =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      final int taken = holder.getLocalPort();
      final EmbeddedGateway gateway =
          EmbeddedGateway.builder()
              .home(home)
              .port(mqtt)
              .extensionZip(Path.of(System.getProperty("troupe.extension.zip")))
              .inMemoryPersistence(true)
              .extensionConfig(
                  "<troupe><coap><dtls><port>" + taken + "</port></dtls></coap></troupe>")
              .build();

      assertThatThrownBy(gateway::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("UDP port " + taken)
          .hasMessageContaining("<coap><dtls><port>")
          .hasMessageContaining("--coap-port")
          .hasMessageNotContaining("anonymous")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertThatThrownBy(() -> new Socket("127.0.0.1", mqtt).close())
          .as("the broker was stopped, not left open")
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void twoGatewaysOnOneMachine_theSecondWithCoapPortZero_bothServe() throws Exception {
    final Path root =
        Files.createDirectories(Path.of("target", "it", "two-gateways-" + System.nanoTime()));
    final int firstCoap = freeUdpPort();
    try (GatewayProcess first =
            GatewayProcess.start(
                Files.createDirectories(root.resolve("first")),
                freeTcpPort(),
                "--coap-port",
                Integer.toString(firstCoap));
        GatewayProcess second =
            GatewayProcess.start(
                Files.createDirectories(root.resolve("second")),
                freeTcpPort(),
                "--coap-port",
                "0")) {
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
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }
}
