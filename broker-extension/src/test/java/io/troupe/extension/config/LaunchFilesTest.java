package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.extension.config.ConfigReader.InvalidConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchFilesTest {

  @TempDir Path home;

  @Test
  void noLaunchFile_keepsTheConfiguredPorts() {
    final TroupeConfig config = ConfigReader.read(Path.of("src", "main"));

    assertThat(LaunchFiles.withOverrides(config, home)).isEqualTo(config);
  }

  @Test
  void dtlsPortInTheLaunchFile_movesDtlsForThisRun() throws IOException {
    launch("coap.dtls.port=0\n");

    final TroupeConfig config =
        LaunchFiles.withOverrides(ConfigReader.read(Path.of("src", "main")), home);

    assertThat(config.coap().dtls()).map(InetSocketAddress::getPort).contains(0);
    assertThat(config.coap().dtlsFollowsMqtt()).as("still on the MQTT listener's address").isTrue();
  }

  @Test
  void launchFileOverride_keepsTheDirectory() throws IOException {
    launch("coap.dtls.port=0\n");
    final TroupeConfig configured =
        ConfigReader.read(Path.of("src", "main"))
            .withDirectory(
                java.util.Optional.of(
                    new DirectoryConfig(
                        "ldap://127.0.0.1:389",
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        "uid",
                        java.time.Duration.ofSeconds(1),
                        10)));

    assertThat(LaunchFiles.withOverrides(configured, home).directory())
        .isEqualTo(configured.directory());
  }

  @Test
  void badPortOrAnEndpointThatIsOff_isRefusedNamingTheSetting() throws IOException {
    final TroupeConfig config = ConfigReader.read(Path.of("src", "main"));
    launch("coap.dtls.port=70000\n");
    assertThatThrownBy(() -> LaunchFiles.withOverrides(config, home))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("coap.dtls.port")
        .hasMessageContaining("70000");
    launch("coap.plain.port=5683\n");
    assertThatThrownBy(() -> LaunchFiles.withOverrides(config, home))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("<coap><plain>");
  }

  @Test
  void reports_sayWhereCoapIsBoundOrWhyItFailed() throws IOException {
    LaunchFiles.reportStarted(
        home, Optional.of(new InetSocketAddress("127.0.0.1", 41234)), Optional.empty());
    assertThat(report()).containsEntry("coap.dtls", "127.0.0.1:41234").doesNotContainKey("failure");

    LaunchFiles.reportFailure(home, "UDP port 5684 in use", Optional.of(LaunchFiles.DTLS_PORT));
    assertThat(report())
        .containsEntry("failure", "UDP port 5684 in use")
        .containsEntry("failure.port", "coap.dtls.port")
        .doesNotContainKey("coap.dtls");
  }

  private void launch(final String text) throws IOException {
    Files.createDirectories(LaunchFiles.launch(home).getParent());
    Files.writeString(LaunchFiles.launch(home), text);
  }

  private Properties report() throws IOException {
    final Properties p = new Properties();
    try (var in = Files.newBufferedReader(LaunchFiles.started(home))) {
      p.load(in);
    }
    return p;
  }
}
