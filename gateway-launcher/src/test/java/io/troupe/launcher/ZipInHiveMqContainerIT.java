package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The packaged zip, unpacked into the extensions folder of the official HiveMQ CE image, loads and
 * refuses anonymous clients. Skipped where no Docker engine runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ZipInHiveMqContainerIT {

  @Test
  void packagedExtension_startsInHiveMqCe_andRefusesAnonymousClients() throws Exception {
    Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine");
    final Path extensions =
        Files.createDirectories(Path.of("target", "it", "container-" + System.nanoTime()));
    final Path home =
        ExtensionFolder.unpack(Path.of(System.getProperty("troupe.extension.zip")), extensions);
    try (GenericContainer<?> hivemq =
        new GenericContainer<>(DockerImageName.parse("hivemq/hivemq-ce:2025.5"))
            .withCopyFileToContainer(
                MountableFile.forHostPath(home), "/opt/hivemq/extensions/troupe-gateway")
            .withExposedPorts(1883)
            .waitingFor(
                Wait.forLogMessage(".*Started HiveMQ in.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(3)))) {
      hivemq.start();
      assertThat(hivemq.getLogs()).contains("Troupe gateway started");
      assertThat(
              MqttConnectProbe.anonymousConnectReasonCode(
                  hivemq.getHost(), hivemq.getMappedPort(1883)))
          .isGreaterThanOrEqualTo(0x80);
    }
  }
}
