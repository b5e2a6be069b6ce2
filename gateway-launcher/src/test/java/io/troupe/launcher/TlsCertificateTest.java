package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCertificateTest {

  @TempDir Path conf;

  @Test
  void selfSigned_isMadeOnceOwnerOnly_andKeepsItsFingerprint() throws Exception {
    final TlsCertificate made = TlsCertificate.selfSigned(conf, "127.0.0.1");
    final TlsCertificate again = TlsCertificate.selfSigned(conf, "127.0.0.1");

    assertThat(made.fingerprint()).matches("[0-9a-f]{64}").isEqualTo(again.fingerprint());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.keystore())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(
                    conf.resolve(TlsCertificate.SELF_SIGNED + ".password"))))
        .isEqualTo("rw-------");
  }

  @Test
  void given_withAWrongPassword_failsNamingTheKeystore() throws Exception {
    final TlsCertificate made = TlsCertificate.selfSigned(conf, "localhost");
    final Path wrong = conf.resolve("wrong.password");
    Files.writeString(wrong, "nope\n");

    assertThatThrownBy(() -> TlsCertificate.given(made.keystore(), wrong))
        .hasMessageContaining(made.keystore().toString());
  }

  @Test
  void hivemqConfig_withTls_addsATlsListenerBesideThePlainOne() throws Exception {
    final TlsCertificate made = TlsCertificate.selfSigned(conf, "127.0.0.1");

    final String xml =
        HiveMqConfig.render(
            "127.0.0.1", 1883, true, 10, Optional.of(new HiveMqConfig.TlsListener(8883, made)));

    assertThat(xml)
        .contains("<tcp-listener>")
        .contains("<tls-tcp-listener>")
        .contains("<port>8883</port>")
        .contains("<path>" + made.keystore().toAbsolutePath() + "</path>")
        .contains("<password>" + made.password() + "</password>");
    assertThat(HiveMqConfig.render("127.0.0.1", 1883, true, 10)).doesNotContain("tls");
  }
}
