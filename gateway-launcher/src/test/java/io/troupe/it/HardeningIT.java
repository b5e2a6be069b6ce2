package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.ClearRetained;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.UpdateCommunity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5's findings 2, 3, 4, 5 and 8, as an attacker with a valid low-privilege account tried
 * them, on the embedded broker with real Paho clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HardeningIT {

  private static GatewayFixture gw;
  private static final Map<String, String> passwords = new java.util.HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("hardening");
    for (final String device : new String[] {"owner", "friend", "mallory", "gone"}) {
      passwords.put(device, gw.addIdentity(device, IdentityRole.DEVICE));
    }
    passwords.put("bob", gw.addIdentity("bob", IdentityRole.CONSUMER));
    try (MqttTestClient owner = device("owner")) {
      assertThat(api(owner, join("demo")).getStatus()).isEqualTo(201);
      assertThat(
              api(
                      owner,
                      GatewayRequest.newBuilder()
                          .setUpdateCommunity(
                              UpdateCommunity.newBuilder()
                                  .setCommunity("demo")
                                  .addAddMembers("friend")
                                  .addAddMembers("gone"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
      assertThat(api(owner, register("demo", "echo")).getStatus()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    gw.closeInBackground();
  }

  private static MqttTestClient device(final String name) throws Exception {
    final MqttTestClient c = MqttTestClient.connect(gw.port(), name, name, passwords.get(name));
    assertThat(c.subscribe("troupe/r/" + name + "/#")).isLessThan(0x80);
    return c;
  }

  private static io.troupe.proto.v1.GatewayResponse api(
      final MqttTestClient client, final GatewayRequest request) throws Exception {
    return GatewaySecurityIT.api(client, request);
  }

  private static GatewayRequest join(final String community) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
        .build();
  }

  private static GatewayRequest register(final String community, final String service) {
    return GatewayRequest.newBuilder()
        .setRegisterService(
            RegisterService.newBuilder().setCommunity(community).setService(service))
        .build();
  }

  private static byte[] status(final String device, final Availability availability) {
    return StatusMessage.newBuilder()
        .setDeviceId(device)
        .setAvailability(availability)
        .build()
        .toByteArray();
  }

  @Test
  void closedCommunity_aStrangerDeviceCannotJoinNorServe() throws Exception {
    try (MqttTestClient mallory = device("mallory")) {
      final var refused = api(mallory, join("demo"));
      assertThat(refused.getStatus()).isEqualTo(403);
      assertThat(refused.getReason()).contains("closed community 'demo'");
      assertThat(api(mallory, register("demo", "echo")).getStatus()).isEqualTo(403);
    }
  }

  @Test
  void will_ofANonMember_refusesTheConnection_andLeavesNothingRetained() throws Exception {
    assertThatThrownBy(
            () ->
                MqttTestClient.connect(
                    gw.port(),
                    "mallory",
                    "mallory",
                    passwords.get("mallory"),
                    o ->
                        o.setWill(
                            "troupe/c/demo/status/mallory",
                            new MqttMessage(
                                status("mallory", Availability.OFFLINE),
                                1,
                                true,
                                new MqttProperties()))))
        .isInstanceOf(MqttException.class);
    assertThatThrownBy(
            () ->
                MqttTestClient.connect(
                    gw.port(),
                    "friend",
                    "friend",
                    passwords.get("friend"),
                    o ->
                        o.setWill(
                            "troupe/c/demo/status/friend",
                            new MqttMessage(
                                "junk".getBytes(StandardCharsets.UTF_8),
                                1,
                                true,
                                new MqttProperties()))))
        .as("a member's malformed Will")
        .isInstanceOf(MqttException.class);
    try (MqttTestClient watcher = device("owner")) {
      watcher.subscribe("troupe/c/demo/status/mallory");
      watcher.subscribe("troupe/c/ghost/#");
      assertThat(watcher.received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void disconnect_theGatewayPublishesTheDeviceOffline_andTheOwnerCanClearIt() throws Exception {
    final MqttTestClient friend = device("friend");
    assertThat(api(friend, join("demo")).getStatus()).isEqualTo(200);
    assertThat(
            friend.publish(
                "troupe/c/demo/status/friend", status("friend", Availability.AVAILABLE), true))
        .isLessThan(0x80);
    friend.close();
    try (MqttTestClient owner = device("owner")) {
      owner.subscribe("troupe/c/demo/status/friend");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                final MqttTestClient.Answer a = owner.received.poll(200, TimeUnit.MILLISECONDS);
                return a != null
                    && StatusMessage.parseFrom(a.body()).getAvailability() == Availability.OFFLINE;
              });
      assertThat(
              api(
                      owner,
                      GatewayRequest.newBuilder()
                          .setClearRetained(
                              ClearRetained.newBuilder().setTopicFilter("troupe/c/demo/status/+"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
    }
    try (MqttTestClient later = device("owner")) {
      later.subscribe("troupe/c/demo/status/friend");
      assertThat(later.received.poll(500, TimeUnit.MILLISECONDS))
          .as("nothing retained after the clear")
          .isNull();
    }
  }

  @Test
  void removeIdentity_endsItsSessionAtOnce_andDropsItFromTheList() throws Exception {
    final MqttTestClient gone = device("gone");
    assertThat(api(gone, join("demo")).getStatus()).isEqualTo(200);
    assertThat(api(gone, register("demo", "echo")).getStatus()).isEqualTo(200);
    try (MqttTestClient admin =
        MqttTestClient.connect(gw.port(), "admin-rm", "admin", gw.adminPassword())) {
      admin.subscribe("troupe/r/admin-rm/#");
      admin.subscribe("troupe/c/demo/svc/echo/servers");
      assertThat(
              api(
                      admin,
                      GatewayRequest.newBuilder()
                          .setRemoveIdentity(RemoveIdentity.newBuilder().setName("gone"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> gone.disconnected);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                final MqttTestClient.Answer a = admin.received.poll(200, TimeUnit.MILLISECONDS);
                return a != null
                    && a.topic().endsWith("/servers")
                    && DistributionList.parseFrom(a.body()).getServersList().stream()
                        .noneMatch(e -> e.getServer().equals("gone"));
              });
    }
    assertThatThrownBy(() -> device("gone")).isInstanceOf(MqttException.class);
  }

  @Test
  void statusOverThePayloadLimit_isRefusedWith413_andTheClientStaysConnected() throws Exception {
    try (MqttTestClient owner = device("owner")) {
      final byte[] big =
          StatusMessage.newBuilder()
              .setDeviceId("owner")
              .setNetworkAddress("x".repeat(70_000))
              .build()
              .toByteArray();
      assertThat(owner.publish("troupe/c/demo/status/owner", big, true)).isEqualTo(0x97);
      assertThat(owner.client.isConnected()).isTrue();
    }
  }

  @Test
  void malformedAddress_isAnswered400_onTheResponseTopic() throws Exception {
    try (MqttTestClient bob =
        MqttTestClient.connect(gw.port(), "bob-rr", "bob", passwords.get("bob"))) {
      bob.subscribe("troupe/r/bob-rr/#");
      final MqttTestClient.Sent sent =
          bob.request("troupe/s/Not..An.Address", "x", "troupe/r/bob-rr/resp", Map.of(), null);
      assertThat(sent.answer().get(10, TimeUnit.SECONDS).status()).isEqualTo(400);
    }
  }

  @Test
  void replyOnAnotherDevicesReplyTopic_isRefusedWith0x87() throws Exception {
    try (MqttTestClient mallory = device("mallory")) {
      assertThat(mallory.publish("troupe/gw/reply/owner", new byte[] {1}, false)).isEqualTo(0x87);
    }
  }
}
