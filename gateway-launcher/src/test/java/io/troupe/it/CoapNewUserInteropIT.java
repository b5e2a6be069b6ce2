package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.IdentityRole;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a new user meets with libcoap (Debian libcoap3-bin) and mosquitto_rr on the shared gateway:
 * {@code coap-client-openssl} with a wrong key, or an identity that does not exist, is told at once
 * and in the same words; a device played by {@code coap-server-notls} answers an MQTT request that
 * names no method and has no body as a CoAP GET. Skipped where the binaries are missing, except
 * under CI, which installs them. Everything it creates starts with {@code h2i-}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CoapNewUserInteropIT {

  private static final String DEVICE = "h2i-clock";
  private static final String COMMUNITY = "h2i-clocks";
  private static final String DTLS_CLIENT = "coap-client-openssl";

  /** libcoap's example server answers GET /time with e.g. {@code Nov 25 20:40:34}. */
  private static final String TIME = "(?s).*[A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}.*";

  private static SharedGateway shared;
  private static Process device;
  private static String bobPassword;

  @BeforeAll
  static void start() throws Exception {
    final boolean present =
        MosquittoRrInteropIT.onPath("coap-server-notls")
            && MosquittoRrInteropIT.onPath(DTLS_CLIENT)
            && MosquittoRrInteropIT.onPath("mosquitto_rr");
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, "libcoap3-bin or mosquitto-clients are not installed");
    }
    assertThat(present).as("CI must have libcoap3-bin and mosquitto-clients").isTrue();
    shared = SharedGateway.get();
    shared.gw.addIdentity(DEVICE, IdentityRole.DEVICE);
    bobPassword = shared.gw.addIdentity("h2i-bob", IdentityRole.CONSUMER);

    final int devicePort = CoapGateway.freeUdpPort();
    device =
        new ProcessBuilder(
                "coap-server-notls", "-A", "127.0.0.1", "-p", Integer.toString(devicePort))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    // the device creates the community, with bob as a member, and reports itself available
    final String registered =
        dtls(
            DEVICE,
            keyOf(DEVICE),
            "-m",
            "post",
            "-t",
            "40",
            "-e",
            "</>;svc=\"time\"",
            coaps(
                "/rd?ep="
                    + DEVICE
                    + "&d="
                    + COMMUNITY
                    + "&lt=120&members=h2i-bob&base=coap://127.0.0.1:"
                    + devicePort));
    assertThat(registered).as(registered).doesNotContainPattern("[45]\\.\\d\\d");
  }

  /**
   * Reports the device available (an empty StatusMessage), as it must within the status timeout.
   */
  private static void alive() throws Exception {
    final String status =
        dtls(DEVICE, keyOf(DEVICE), "-m", "put", coaps("/c/" + COMMUNITY + "/status/" + DEVICE));
    assertThat(status).as(status).doesNotContainPattern("[45]\\.\\d\\d");
  }

  @AfterAll
  static void stop() throws Exception {
    if (device != null) {
      device.destroy();
      device.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void mqttRequestWithoutMethodOrBody_isACoapGet_answeredByTheDevice() throws Exception {
    alive();
    final String out =
        run(
            "mosquitto_rr",
            "-V",
            "mqttv5",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(shared.gw.port()),
            "-u",
            "h2i-bob",
            "-P",
            bobPassword,
            "-i",
            "h2i-bob-1",
            "-q",
            "1",
            "-t",
            "troupe/s/time." + COMMUNITY,
            "-e",
            "troupe/r/h2i-bob-1/resp",
            "-D",
            "publish",
            "user-property",
            "path",
            "/time",
            "-n",
            "-W",
            "15",
            "-F",
            "%p|%P");

    assertThat(out).matches(TIME).contains("status:200").contains("server:" + DEVICE);
  }

  @Test
  void wrongKeyAndUnknownIdentity_coapClientOpenssl_isToldAtOnce_inTheSameWords() throws Exception {
    final String wrongKey = keyOf("h2i-someone-else");
    final String path = coaps("/c/" + COMMUNITY + "/svc/time/servers");

    final long start = System.nanoTime();
    final String known = withoutTimesAndPorts(dtls(DEVICE, wrongKey, "-m", "get", path));
    final long knownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    final long again = System.nanoTime();
    final String unknown = withoutTimesAndPorts(dtls("h2i-nobody", wrongKey, "-m", "get", path));
    final long unknownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again);

    // libcoap gives up after 20 s of retransmissions when the server stays silent
    assertThat(knownMs).as(known).isLessThan(5_000);
    assertThat(unknownMs).as(unknown).isLessThan(5_000);
    assertThat(known).contains("alert read:fatal:decrypt error").isEqualTo(unknown);
  }

  /** libcoap's log lines without their leading time and the client's own port. */
  private static String withoutTimesAndPorts(final String out) {
    return out.replaceAll("(?m)^[A-Z][a-z]{2} +\\d{1,2} [\\d:.]+ ", "")
        .replaceAll("127\\.0\\.0\\.1:\\d+ <->", "127.0.0.1:PORT <->");
  }

  private static String keyOf(final String identity) throws Exception {
    return CoapKeys.read(shared.gw.gateway.extensionHome()).keyOf(identity);
  }

  private static String coaps(final String path) {
    return "coaps://127.0.0.1:" + shared.dtlsPort + path;
  }

  private static String dtls(final String identity, final String key, final String... args)
      throws Exception {
    final String[] command = new String[args.length + 7];
    System.arraycopy(
        new String[] {DTLS_CLIENT, "-B", "30", "-u", identity, "-k", key}, 0, command, 0, 7);
    System.arraycopy(args, 0, command, 7, args.length);
    return run(command);
  }

  private static String run(final String... command) throws Exception {
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
