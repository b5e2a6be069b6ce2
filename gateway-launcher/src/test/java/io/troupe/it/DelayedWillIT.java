package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.UpdateCommunity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, finding 9: a Will with a delay interval saying AVAILABLE must not land after its
 * device's identity was removed. A real Paho client sets the Will, its connection drops without a
 * DISCONNECT, and the admin removes the identity before the delay has passed. On the shared gateway
 * ({@link SharedGateway}): every identity, client id and community starts with {@code will-}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DelayedWillIT {

  private static final long WILL_DELAY_SECONDS = 5;
  private static final String STATUS_TOPIC = "troupe/c/will-hall/status/will-ghost";

  private static GatewayFixture gw;
  private static String ownerPassword;
  private static String ghostPassword;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    ownerPassword = gw.addIdentity("will-owner", IdentityRole.DEVICE);
    ghostPassword = gw.addIdentity("will-ghost", IdentityRole.DEVICE);
    try (MqttTestClient owner = connect("will-owner", ownerPassword)) {
      assertThat(GatewaySecurityIT.api(owner, join()).getStatus()).isEqualTo(201);
      assertThat(
              GatewaySecurityIT.api(
                      owner,
                      GatewayRequest.newBuilder()
                          .setUpdateCommunity(
                              UpdateCommunity.newBuilder()
                                  .setCommunity("will-hall")
                                  .addAddMembers("will-ghost"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
    }
    try (MqttTestClient ghost = connect("will-ghost", ghostPassword)) {
      assertThat(GatewaySecurityIT.api(ghost, join()).getStatus()).isEqualTo(200);
    }
  }

  private static MqttTestClient connect(final String name, final String password) throws Exception {
    final MqttTestClient c = MqttTestClient.connect(gw.port(), name, name, password);
    c.subscribe("troupe/r/" + name + "/#");
    return c;
  }

  private static GatewayRequest join() {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder().setCommunity("will-hall").setCreateIfAbsent(true))
        .build();
  }

  private static byte[] available() {
    return StatusMessage.newBuilder()
        .setDeviceId("will-ghost")
        .setAvailability(Availability.AVAILABLE)
        .build()
        .toByteArray();
  }

  @Test
  void delayedWill_ofAnIdentityRemovedMeanwhile_neverLands() throws Exception {
    try (MqttTestClient watcher =
        MqttTestClient.connect(gw.port(), "will-owner", "will-owner", ownerPassword)) {
      assertThat(watcher.subscribe(STATUS_TOPIC)).isLessThan(0x80);
      // given a member whose Will says AVAILABLE after a delay, and whose connection drops
      final MqttTestClient ghost =
          MqttTestClient.connect(
              gw.port(),
              "will-ghost",
              "will-ghost",
              ghostPassword,
              o -> {
                o.setSessionExpiryInterval(60L);
                final MqttProperties will = new MqttProperties();
                will.setWillDelayInterval(WILL_DELAY_SECONDS);
                o.setWillMessageProperties(will);
                o.setWill(
                    STATUS_TOPIC, new MqttMessage(available(), 1, true, new MqttProperties()));
              });
      ghost.client.disconnectForcibly(0, 1_000, false);
      ghost.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> statuses(watcher).contains(Availability.OFFLINE));
      // whatever the drop itself brought has arrived
      await()
          .pollDelay(Duration.ZERO)
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> statuses(watcher).isEmpty());

      // when the admin removes the identity before the Will's delay has passed
      assertThat(
              gw.api(
                      GatewayRequest.newBuilder()
                          .setRemoveIdentity(RemoveIdentity.newBuilder().setName("will-ghost"))
                          .build())
                  .getStatus())
          .isEqualTo(200);

      // then no AVAILABLE lands for it, live or retained, once the delay has long passed
      final List<Availability> after = new ArrayList<>();
      await("no AVAILABLE status for the removed identity")
          .during(Duration.ofSeconds(WILL_DELAY_SECONDS + 2))
          .atMost(Duration.ofSeconds(WILL_DELAY_SECONDS + 5))
          .until(
              () -> {
                after.addAll(statuses(watcher));
                return !after.contains(Availability.AVAILABLE);
              });
    }
    try (MqttTestClient fresh =
        MqttTestClient.connect(gw.port(), "will-owner", "will-owner", ownerPassword)) {
      fresh.subscribe(STATUS_TOPIC);
      final MqttTestClient.Answer retained = fresh.received.poll(500, TimeUnit.MILLISECONDS);
      if (retained != null) {
        assertThat(StatusMessage.parseFrom(retained.body()).getAvailability())
            .isNotEqualTo(Availability.AVAILABLE);
      }
    }
  }

  /** The availabilities of the statuses {@code watcher} received since the last call. */
  private static List<Availability> statuses(final MqttTestClient watcher) throws Exception {
    final List<Availability> seen = new ArrayList<>();
    MqttTestClient.Answer a;
    while ((a = watcher.received.poll()) != null) {
      if (a.topic().equals(STATUS_TOPIC)) {
        seen.add(StatusMessage.parseFrom(a.body()).getAvailability());
      }
    }
    return seen;
  }
}
