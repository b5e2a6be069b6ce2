package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.TroupeAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
      gw.closeInBackground();
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

  @Test
  void coapClientNotls_oneMegabyte_blockwiseBothWays(@TempDir final Path dir) throws Exception {
    // given a 1 MB body, sent and answered in 1 KB blocks (RFC 7959)
    final byte[] body = new byte[1024 * 1024];
    new Random(7).nextBytes(body);
    final Path in = Files.write(dir.resolve("in.bin"), body);
    final Path out = dir.resolve("out.bin");

    // when
    final Run r =
        run(
            60,
            NOTLS,
            "-m",
            "post",
            "-b",
            "1024",
            "-f",
            in.toString(),
            "-o",
            out.toString(),
            gw.plainUri(CoapGateway.ADDRESS));

    // then the agent's echo comes back whole
    assertThat(r.exit).as(r.output).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(body);
  }

  @Test
  void coapClientOpenssl_observesTheServersList_changesWhenAServerLeaves(@TempDir final Path dir)
      throws Exception {
    // given a member observing the distribution list, in JSON (Content-Format 50)
    final Path seen = dir.resolve("notifications.txt");
    final Process observer =
        new ProcessBuilder(
                OPENSSL,
                "-s",
                "60",
                "-A",
                "50",
                "-w",
                "-u",
                "echo-dev",
                "-k",
                gw.keyOf("echo-dev"),
                "coaps://127.0.0.1:"
                    + gw.dtlsPort
                    + "/c/"
                    + CoapGateway.COMMUNITY
                    + "/svc/echo/servers")
            .redirectErrorStream(true)
            .redirectOutput(seen.toFile())
            .start();
    try {
      // when a second server joins, then a notification lists it
      try (TroupeAgent second = gw.agent(CoapGateway.SECOND)) {
        second.startBlocking();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> Files.readString(seen).contains("\"" + CoapGateway.SECOND + "\""));
      }

      // and when it disconnects, a later notification no longer shows it available
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                final List<String> lines = Files.readString(seen).lines().toList();
                final int listed =
                    lines.indexOf(
                        lines.stream()
                            .filter(l -> l.contains("\"" + CoapGateway.SECOND + "\""))
                            .findFirst()
                            .orElseThrow());
                assertThat(lines.subList(listed + 1, lines.size()))
                    .as(String.join("\n", lines))
                    .anyMatch(CoapInteropIT::secondGone);
              });
    } finally {
      observer.destroy();
      observer.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Whether a JSON notification shows the second server gone: not listed, or listed offline. */
  private static boolean secondGone(final String json) {
    final int at = json.indexOf("\"" + CoapGateway.SECOND + "\"");
    if (!json.startsWith("{")) {
      return false;
    }
    if (at < 0) {
      return true;
    }
    final int end = json.indexOf('}', at);
    return json.substring(at, end < 0 ? json.length() : end).contains("OFFLINE");
  }

  private record Run(int exit, String output) {}

  private static Run run(final String... command) throws Exception {
    return run(10, command);
  }

  /** Runs {@code command}, which gives up after {@code seconds}. */
  private static Run run(final int seconds, final String... command) throws Exception {
    final List<String> args = new ArrayList<>(List.of(command));
    args.add(1, "-B");
    args.add(2, Integer.toString(seconds));
    final Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    assertThat(p.waitFor(seconds + 20, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
