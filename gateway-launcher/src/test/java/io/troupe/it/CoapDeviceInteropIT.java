package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.IdentityRole;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A constrained device played by libcoap's {@code coap-server-notls} (Debian libcoap3-bin), which
 * serves the time on {@code /time}: registered with {@code coap-client-notls}, it answers calls
 * that came in over MQTT ({@code mosquitto_rr}) and over CoAP, and takes over from an MQTT agent
 * (the {@code troupe agent} command line) killed with SIGKILL. Skipped where the binaries are
 * missing, except under CI, which installs them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapDeviceInteropIT {

  private static final String SERVER = "coap-server-notls";
  private static final String CLIENT = "coap-client-notls";

  /** Registers the device over DTLS: on plain CoAP its base would have to be the client's port. */
  private static final String DTLS_CLIENT = "coap-client-openssl";

  private static final String DEVICE = "clockdev";
  private static final String COMMUNITY = "clocks";

  /** libcoap's example server answers GET /time with e.g. {@code Nov 25 20:40:34}. */
  private static final String TIME = "(?s).*[A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}.*";

  private static GatewayFixture gw;
  private static int plainPort;
  private static Process device;
  private static AgentProcess agent;
  private static String bobPassword;

  @BeforeAll
  static void start() throws Exception {
    final boolean present =
        MosquittoRrInteropIT.onPath(SERVER)
            && MosquittoRrInteropIT.onPath(CLIENT)
            && MosquittoRrInteropIT.onPath(DTLS_CLIENT)
            && MosquittoRrInteropIT.onPath("mosquitto_rr");
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, "libcoap3-bin or mosquitto-clients are not installed");
    }
    assertThat(present).as("CI must have libcoap3-bin and mosquitto-clients").isTrue();
    plainPort = CoapGateway.freeUdpPort();
    final int dtlsPort = CoapGateway.freeUdpPort();
    // plain CoAP on loopback acts as the device: the registration, its status and the CoAP call
    gw =
        GatewayFixture.start(
            "coap-device-interop",
            GatewayFixture.CONFIG.replace(
                "<port>0</port></dtls></coap>",
                "<port>"
                    + dtlsPort
                    + "</port></dtls><plain><bind>127.0.0.1</bind><port>"
                    + plainPort
                    + "</port><act-as>"
                    + DEVICE
                    + "</act-as></plain></coap>"));
    gw.addIdentity(DEVICE, IdentityRole.DEVICE);
    bobPassword = gw.addIdentity("bob", IdentityRole.CONSUMER);

    // an MQTT agent creates the community with the device on its member list and is the primary
    // of clock; the libcoap device is its secondary and the only server of time
    agent =
        AgentProcess.echo(
            gw.port(),
            "mqtt-clock",
            gw.addIdentity("mqtt-clock", IdentityRole.DEVICE),
            COMMUNITY,
            "clock",
            DEVICE);
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.serving() || !agent.alive());
    assertThat(agent.serving()).as(agent.log()).isTrue();

    final int devicePort = CoapGateway.freeUdpPort();
    device =
        new ProcessBuilder(SERVER, "-A", "127.0.0.1", "-p", Integer.toString(devicePort))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    // over DTLS with the device's key: coap-client-notls would send from a port of its own, and on
    // plain CoAP a base must be the port the registration came from
    final String registered =
        run(
            DTLS_CLIENT,
            "-B",
            "10",
            "-u",
            DEVICE,
            "-k",
            CoapKeys.read(gw.gateway.extensionHome()).keyOf(DEVICE),
            "-m",
            "post",
            "-t",
            "40",
            "-e",
            "</>;svc=\"time\",</>;svc=\"clock\"",
            "coaps://127.0.0.1:"
                + dtlsPort
                + "/rd?ep="
                + DEVICE
                + "&d="
                + COMMUNITY
                + "&lt=120&base=coap://127.0.0.1:"
                + devicePort);
    assertThat(registered).as(registered).doesNotContainPattern("[45]\\.\\d\\d");
    // an empty StatusMessage: available, no metrics
    final String status =
        coap(
            "-m", "put", "coap://127.0.0.1:" + plainPort + "/c/" + COMMUNITY + "/status/" + DEVICE);
    assertThat(status).as(status).doesNotContainPattern("[45]\\.\\d\\d");
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (device != null) {
      device.destroy();
      device.waitFor(5, TimeUnit.SECONDS);
    }
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  @Test
  void mosquittoRr_callOverMqtt_answeredByTheLibcoapDevice() throws Exception {
    final String out = mqttGet("time." + COMMUNITY, "/time", "bob-1");
    assertThat(out).matches(TIME);
    assertThat(out).contains("status:200").contains("server:" + DEVICE);
  }

  @Test
  void coapClient_callOverCoap_answeredByTheLibcoapDevice() throws Exception {
    final String out =
        coap("-m", "get", "coap://127.0.0.1:" + plainPort + "/s/time." + COMMUNITY + "/time");
    assertThat(out).matches(TIME);
  }

  @Test
  void mqttAgentPrimaryKilled_theLibcoapSecondaryAnswers() throws Exception {
    assertThat(mqttGet("clock." + COMMUNITY, "/time", "bob-2")).contains("server:mqtt-clock");

    new ProcessBuilder("kill", "-KILL", Long.toString(agent.pid()))
        .inheritIO()
        .start()
        .waitFor(5, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> mqttGet("clock." + COMMUNITY, "/time", "bob-3").contains("server:" + DEVICE));
    assertThat(mqttGet("clock." + COMMUNITY, "/time", "bob-4")).matches(TIME);
  }

  /** A GET of {@code path} at {@code address} with mosquitto_rr: {@code body|properties}. */
  private static String mqttGet(final String address, final String path, final String clientId)
      throws Exception {
    return run(
        "mosquitto_rr",
        "-V",
        "mqttv5",
        "-h",
        "127.0.0.1",
        "-p",
        Integer.toString(gw.port()),
        "-u",
        "bob",
        "-P",
        bobPassword,
        "-i",
        clientId,
        "-q",
        "1",
        "-t",
        "troupe/s/" + address,
        "-e",
        "troupe/r/" + clientId + "/resp",
        "-D",
        "publish",
        "user-property",
        "method",
        "GET",
        "-D",
        "publish",
        "user-property",
        "path",
        path,
        "-n",
        "-W",
        "15",
        "-F",
        "%p|%P");
  }

  private static String coap(final String... args) throws Exception {
    final List<String> command = new ArrayList<>(List.of(CLIENT, "-B", "10"));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static String run(final String... command) throws Exception {
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
