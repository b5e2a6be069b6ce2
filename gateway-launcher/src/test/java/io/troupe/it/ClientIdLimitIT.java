package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.IdentityRole;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-identity bound on client ids never takes the binding of a connected session: the new id
 * is refused (0x97) and counted, and an id is unbound only once its session has ended.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientIdLimitIT {

  private static final int QUOTA_EXCEEDED = 0x97;
  private static final int NOT_AUTHORIZED = 0x87;
  private static final String REFUSED = "io.troupe.gateway.client_ids.refused.over_identity_limit";

  private static GatewayFixture gw;
  private static String bob;
  private static String alice;

  @BeforeAll
  static void start() throws Exception {
    // a gateway still stopping in this JVM holds the JMX names of the metrics read here
    GatewayFixture.awaitBackgroundStops();
    gw =
        GatewayFixture.start(
            "client-id-limit",
            GatewayFixture.CONFIG.replace(
                "</limits>",
                "<max-client-ids-per-identity>2</max-client-ids-per-identity></limits>"));
    bob = gw.addIdentity("bob", IdentityRole.CONSUMER);
    alice = gw.addIdentity("alice", IdentityRole.CONSUMER);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.closeInBackground();
  }

  @Test
  void connect_beyondTheBoundWithEveryIdConnected_isRefusedAndEvictsNoLiveBinding()
      throws Exception {
    final long refusedBefore = count(REFUSED);
    try (MqttTestClient first = MqttTestClient.connect(gw.port(), "lounge", "bob", bob);
        MqttTestClient second = MqttTestClient.connect(gw.port(), "kitchen", "bob", bob)) {
      // when: bob, holding two ids both connected, brings a third
      assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "garden", "bob", bob))
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(QUOTA_EXCEEDED));

      // then: both sessions keep their ids and their connections
      assertThat(first.client.isConnected()).isTrue();
      assertThat(second.client.isConnected()).isTrue();
      assertThat(first.subscribe("troupe/r/lounge/#")).isLessThan(0x80);
      assertThat(first.call("nothing.here", "x").status()).isEqualTo(404);
      assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "lounge", "alice", alice))
          .as("a connected session's id stays bound")
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
      assertThat(count(REFUSED)).isEqualTo(refusedBefore + 1);
    }

    // and: once the sessions have ended, a new id replaces the least recently used idle one
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              MqttTestClient.connect(gw.port(), "garden", "bob", bob).close();
              return true;
            });
    try (MqttTestClient a = MqttTestClient.connect(gw.port(), "lounge", "alice", alice)) {
      assertThat(a.client.isConnected()).as("lounge was idle, and went").isTrue();
    }
  }

  private static long count(final String name) {
    return gw.gateway.counter(name);
  }
}
