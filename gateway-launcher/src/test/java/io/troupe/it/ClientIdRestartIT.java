package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client id stays bound to its identity across a restart of the gateway on the same folder. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientIdRestartIT {

  @Test
  void binding_survivesARestart() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "client-id-restart-" + System.nanoTime()));
    final int port = GatewayFixture.freePort();
    final String alice;
    final String bob;
    try (GatewayFixture gw = GatewayFixture.start(home, port)) {
      alice = gw.addIdentity("alice", IdentityRole.CONSUMER);
      bob = gw.addIdentity("bob", IdentityRole.CONSUMER);
      MqttTestClient.connect(port, "bob-rr", "bob", bob).close();
    }

    try (GatewayFixture gw = GatewayFixture.start(home, port)) {
      assertThatThrownBy(() -> MqttTestClient.connect(port, "bob-rr", "alice", alice))
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
      try (MqttTestClient b = MqttTestClient.connect(port, "bob-rr", "bob", bob)) {
        assertThat(b.client.isConnected()).isTrue();
      }
    }
  }
}
