package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.IdentityRole;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client id belongs to the identity whose name it is, or whose name and a dash begin it, or else
 * to the identity that first used it; it is at most 128 characters long. Nobody else can connect
 * with it, take over the session or inherit what was stored under it. On the shared gateway ({@link
 * SharedGateway}): every identity and client id starts with {@code cid-}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientIdBindingIT {

  private static final int NOT_AUTHORIZED = 0x87;
  private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;

  private static GatewayFixture gw;
  private static String alice;
  private static String bob;
  private static String dev;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    alice = gw.addIdentity("cid-alice", IdentityRole.CONSUMER);
    bob = gw.addIdentity("cid-bob", IdentityRole.CONSUMER);
    dev = gw.addIdentity("cid-sensor", IdentityRole.DEVICE);
  }

  @Test
  void connect_withAnIdBobUsed_isRefusedAndBobStaysConnectedAndGetsHisAnswer() throws Exception {
    try (MqttTestClient b = MqttTestClient.connect(gw.port(), "cid-bob-rr", "cid-bob", bob)) {
      assertThat(b.subscribe("troupe/r/cid-bob-rr/#")).isLessThan(0x80);
      final MqttTestClient.Sent pending = b.request("nothing.cid-here", "x");

      assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "cid-bob-rr", "cid-alice", alice))
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));

      assertThat(pending.answer().get(10, TimeUnit.SECONDS).status()).isEqualTo(404);
      assertThat(b.client.isConnected()).isTrue();
      assertThat(b.call("nothing.cid-here", "again").status()).isEqualTo(404);
    }
  }

  @Test
  void connect_withADevicesName_isRefusedToAnyoneElse() throws Exception {
    try (MqttTestClient device =
        MqttTestClient.connect(gw.port(), "cid-sensor", "cid-sensor", dev)) {
      assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "cid-sensor", "cid-alice", alice))
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
      assertThat(device.client.isConnected()).isTrue();
      assertThat(device.disconnected).isFalse();
    }
  }

  @Test
  void connect_resumingUnderANewBinding_inheritsNoSession() throws Exception {
    // given: alice leaves a stored session under an id that is no identity's name yet
    try (MqttTestClient squatter =
        MqttTestClient.connect(gw.port(), "cid-carl", "cid-alice", alice, 300)) {
      assertThat(squatter.subscribe("troupe/r/cid-carl/#")).isLessThan(0x80);
    }
    try (MqttTestClient again =
        MqttTestClient.connect(gw.port(), "cid-carl", "cid-alice", alice, 300)) {
      assertThat(again.sessionPresent).as("the holder resumes its own session").isTrue();
    }

    // when: the identity of that name is created and connects asking to resume
    final String carl = gw.addIdentity("cid-carl", IdentityRole.CONSUMER);
    try (MqttTestClient owner =
        MqttTestClient.connect(gw.port(), "cid-carl", "cid-carl", carl, 300)) {
      // then: it starts clean, and the id is its own from now on
      assertThat(owner.sessionPresent).isFalse();
    }
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "cid-carl", "cid-alice", alice, 300))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
  }

  @Test
  void connect_withAClientIdOf60000Characters_isRefusedAsNotValid() throws Exception {
    final String huge = "b".repeat(60_000);
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), huge, "cid-bob", bob))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID));
    assertThatThrownBy(
            () -> MqttTestClient.connect(gw.port(), "cid-bob-" + "b".repeat(121), "cid-bob", bob))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID));
    try (MqttTestClient atTheLimit =
        MqttTestClient.connect(gw.port(), "cid-bob-" + "b".repeat(120), "cid-bob", bob)) {
      assertThat(atTheLimit.client.isConnected()).isTrue();
    }
  }

  @Test
  void connect_withAnotherIdentitysNameAndADash_isRefusedAndLeavesItToThatIdentity()
      throws Exception {
    // the README's `mosquitto_rr -i alice-rr`: bob tries it first
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "cid-alice-rr", "cid-bob", bob))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    try (MqttTestClient a = MqttTestClient.connect(gw.port(), "cid-alice-rr", "cid-alice", alice)) {
      assertThat(a.subscribe("troupe/r/cid-alice-rr/#")).isLessThan(0x80);
      assertThat(a.call("nothing.cid-here", "x").status()).isEqualTo(404);
    }
  }

  @Test
  void connect_withAnEmptyId_getsAServerAssignedOne() throws Exception {
    try (MqttTestClient c = MqttTestClient.connect(gw.port(), "", "cid-bob", bob)) {
      assertThat(c.client.isConnected()).isTrue();
    }
  }
}
