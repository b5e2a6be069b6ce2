package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libcoap's command line clients (Debian libcoap3-bin) against the CoAP bridge, on loopback.
 * Skipped where the binaries are missing, except under CI, which installs them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapInteropIT {

  private static final String NOTLS = "coap-client-notls";
  private static final String OPENSSL = "coap-client-openssl";
  private static CoapGateway gw;

  @BeforeAll
  static void start() throws Exception {
    final boolean present =
        MosquittoRrInteropIT.onPath(NOTLS) && MosquittoRrInteropIT.onPath(OPENSSL);
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          present, "libcoap's clients are not installed (apt-get install libcoap3-bin)");
    }
    assertThat(present).as("CI must have libcoap3-bin (.ci/run installs it)").isTrue();
    gw = CoapGateway.start("coap-interop");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void coapClientNotls_getsTheAnswer() throws Exception {
    final Run r = run(NOTLS, "-m", "get", gw.plainUri(CoapGateway.ADDRESS + "/a/b"));
    assertThat(r.output).as(r.output).contains("GET /a/b");
  }

  @Test
  void coapClientOpenssl_withItsKey_postsAndGetsTheBody() throws Exception {
    final Run r =
        run(
            OPENSSL,
            "-m",
            "post",
            "-u",
            CoapGateway.DTLS_USER,
            "-k",
            gw.keyOf(CoapGateway.DTLS_USER),
            "-e",
            "hello over dtls",
            gw.dtlsUri(CoapGateway.ADDRESS));
    assertThat(r.output).as(r.output).contains("hello over dtls");
  }

  @Test
  void coapClientOpenssl_wrongKey_isRefused() throws Exception {
    final Run r =
        run(
            OPENSSL,
            "-m",
            "post",
            "-u",
            CoapGateway.DTLS_USER,
            "-k",
            "not-the-key",
            "-e",
            "hello over dtls",
            gw.dtlsUri(CoapGateway.ADDRESS));
    assertThat(r.output).as(r.output).doesNotContain("hello over dtls");
  }

  private record Run(int exit, String output) {}

  private static Run run(final String... command) throws Exception {
    final List<String> args = new ArrayList<>(List.of(command));
    args.add(1, "-B");
    args.add(2, "10");
    final Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
