package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The packaged zip, unpacked into the extensions folder of the official HiveMQ CE image, loads and
 * refuses anonymous clients: the drop-in installation a HiveMQ operator does by hand. Skipped where
 * no Docker engine runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ZipInHiveMqContainerIT {

  private static final DockerImageName IMAGE = DockerImageName.parse("hivemq/hivemq-ce:2025.5");

  @BeforeAll
  static void needsDocker() {
    Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine");
  }

  @Test
  void packagedExtension_startsInHiveMqCe_andRefusesAnonymousClients() throws Exception {
    // given: the zip unpacked as an operator would, into a folder named after the extension's id
    final Path extensions =
        Files.createDirectories(Path.of("target", "it", "container-" + System.nanoTime()));
    final Path folder =
        ExtensionFolder.unpack(Path.of(System.getProperty("troupe.extension.zip")), extensions);

    // when: the image starts with it; the image's allow-all extension is removed, and the folder
    // is writable by the image's non-root user (the extension creates its data/ folder)
    try (GenericContainer<?> hivemq =
        new GenericContainer<>(IMAGE)
            .withEnv("HIVEMQ_ALLOW_ALL_CLIENTS", "false")
            .withCopyFileToContainer(
                MountableFile.forHostPath(folder, 0777),
                "/opt/hivemq/extensions/" + ExtensionFolder.EXTENSION_ID)
            .withExposedPorts(1883)
            .waitingFor(
                Wait.forLogMessage(".*Started HiveMQ in.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(3)))) {
      hivemq.start();

      // then
      assertThat(hivemq.getLogs())
          .containsPattern("Extension \"Troupe Gateway\" version \\S+ started successfully");
      assertThat(
              MqttConnectProbe.anonymousConnectReasonCode(
                  hivemq.getHost(), hivemq.getMappedPort(1883)))
          .as("CONNACK reason code for an anonymous client")
          .isGreaterThanOrEqualTo(0x80);
    }
  }
}
