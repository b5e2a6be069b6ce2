package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.cli.TroupeCli;
import io.troupe.contract.CoapKeys;
import io.troupe.launcher.TlsCertificate;
import io.troupe.proto.v1.IdentityRole;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS: the shared gateway's TLS listener ({@link SharedGateway}) with its self-signed
 * certificate, driven by the command line in this JVM. A client that does not trust the certificate
 * is not connected, with the reason; one that does is served, by password and by key. Every
 * identity starts with {@code tls-}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttTlsIT {

  private static final String WRONG_PIN = "00".repeat(32);

  private static GatewayFixture gw;
  private static TlsCertificate certificate;
  private static int tlsPort;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    certificate = gw.gateway.tls().orElseThrow();
    tlsPort = gw.gateway.tlsPort().orElseThrow();
    final String password = gw.addIdentity("tls-alice", IdentityRole.CONSUMER);
    Files.writeString(dir.resolve("alice.password"), password + "\n");
    Files.writeString(
        dir.resolve("alice.key"),
        CoapKeys.read(gw.gateway.extensionHome()).keyOf("tls-alice") + "\n");
  }

  private record Run(int exit, String out, String err) {}

  /** {@code troupe call nothing.tls-here -u tls-alice ARGS --port TLS}, in this JVM. */
  private static Run call(final String... args) {
    final List<String> all =
        new ArrayList<>(List.of("call", "nothing.tls-here", "-u", "tls-alice"));
    all.addAll(List.of(args));
    all.addAll(List.of("--port", Integer.toString(tlsPort)));
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int exit =
        TroupeCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static String passwordFile() {
    return dir.resolve("alice.password").toString();
  }

  @Test
  void client_thatDoesNotTrustTheCertificate_isNotConnected_withTheReason() {
    final Run pinnedWrong =
        call("--password-file", passwordFile(), "--tls", "--tls-fingerprint", WRONG_PIN);
    final Run systemTrust = call("--password-file", passwordFile(), "--tls");

    assertThat(pinnedWrong.exit()).as(pinnedWrong.err()).isEqualTo(6);
    assertThat(pinnedWrong.err())
        .contains("is not trusted")
        .contains(certificate.fingerprint())
        .contains("not the pinned " + WRONG_PIN);
    assertThat(systemTrust.exit()).as(systemTrust.err()).isEqualTo(6);
    assertThat(systemTrust.err()).contains("is not trusted");
  }

  @Test
  void client_pinningTheFingerprint_isServed_byPasswordAndByKey() {
    final Run byPassword =
        call(
            "--password-file",
            passwordFile(),
            "--tls",
            "--tls-fingerprint",
            certificate.fingerprint());
    final Run byKey =
        call(
            "--key-file",
            dir.resolve("alice.key").toString(),
            "--tls",
            "--tls-fingerprint",
            certificate.fingerprint().toUpperCase(java.util.Locale.ROOT));

    assertThat(byPassword.exit()).as(byPassword.err()).isEqualTo(4); // served: no such service
    assertThat(byKey.exit()).as(byKey.err()).isEqualTo(4);
  }

  @Test
  void client_trustingTheCertificateFromAPemFile_isServed() throws Exception {
    final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(certificate.keystore())) {
      store.load(in, certificate.password().toCharArray());
    }
    final byte[] der = store.getCertificate(store.aliases().nextElement()).getEncoded();
    final Path pem = dir.resolve("gateway.pem");
    Files.writeString(
        pem,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END CERTIFICATE-----\n");

    final Run trusted =
        call("--password-file", passwordFile(), "--tls", "--tls-trust", pem.toString());

    assertThat(trusted.exit()).as(trusted.err()).isEqualTo(4);
  }
}
