package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An extension that cannot start leaves no open broker behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailClosedIT {

  @Test
  void badExtensionConfig_stopsTheBrokerWithTheReason() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "fail-closed-" + System.nanoTime()));
    final int port = LoopbackPorts.freeTcp();
    final EmbeddedGateway gateway =
        EmbeddedGateway.builder()
            .home(home)
            .port(port)
            .extensionZip(Path.of(System.getProperty("troupe.extension.zip")))
            .inMemoryPersistence(true)
            .extensionConfig(
                "<troupe><routing><forward-timeout-ms>soon</forward-timeout-ms></routing></troupe>")
            .build();

    assertThatThrownBy(gateway::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start")
        .hasMessageContaining("stopped");

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .as("nothing listens any more")
        .isInstanceOf(java.net.ConnectException.class);
    assertThat(
            home.resolve("extensions")
                .resolve("troupe-gateway")
                .resolve("data")
                .resolve("admin.secret"))
        .doesNotExist();
  }
}
