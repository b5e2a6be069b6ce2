package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.StatusMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the gateway refuses, and how: at CONNECT, at SUBSCRIBE, and per PUBLISH with a PUBACK reason
 * code while the client stays connected.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewaySecurityIT {

  private static GatewayFixture gw;
  private static String consumerPassword;
  private static String devicePassword;
  private static MqttTestClient consumer;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("security");
    consumerPassword = gw.addIdentity("carol", IdentityRole.CONSUMER);
    devicePassword = gw.addIdentity("lonely", IdentityRole.DEVICE);
    // A service with a registered server that never comes online.
    try (MqttTestClient device =
        MqttTestClient.connect(gw.port(), "lonely", "lonely", devicePassword)) {
      device.subscribe("troupe/r/lonely/#");
      assertThat(
              api(
                      device,
                      GatewayRequest.newBuilder()
                          .setJoinCommunity(
                              JoinCommunity.newBuilder()
                                  .setCommunity("quiet")
                                  .setCreateIfAbsent(true))
                          .build())
                  .getStatus())
          .isEqualTo(201);
      assertThat(
              api(
                      device,
                      GatewayRequest.newBuilder()
                          .setRegisterService(
                              RegisterService.newBuilder().setCommunity("quiet").setService("echo"))
                          .build())
                  .getRegistration()
                  .getAddress())
          .isEqualTo("echo.quiet");
    }
    consumer = MqttTestClient.connect(gw.port(), "c1", "carol", consumerPassword);
    assertThat(consumer.subscribe("troupe/r/c1/#")).isLessThan(0x80);
  }

  @AfterAll
  static void stop() throws Exception {
    consumer.close();
    gw.closeInBackground();
  }

  static GatewayResponse api(final MqttTestClient client, final GatewayRequest request)
      throws Exception {
    final byte[] body =
        client
            .requestBytes(
                "troupe/gw/api", request.toByteArray(), "troupe/r/" + client.clientId + "/api")
            .get(10, TimeUnit.SECONDS)
            .body();
    return GatewayResponse.parseFrom(body);
  }

  @Test
  void connect_withoutCredentials_isRefused() {
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "anon", null, null))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
  }

  @Test
  void connect_withWrongPassword_isRefused() {
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "c9", "carol", "not-it"))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
  }

  @Test
  void subscribe_toDeviceInboxes_isRefused() throws Exception {
    assertThat(consumer.subscribe("troupe/d/#")).isEqualTo(0x87);
    assertThat(consumer.subscribe("troupe/r/c2/#")).isEqualTo(0x87);
    assertThat(consumer.subscribe("#")).isEqualTo(0x87);
    assertThat(consumer.client.isConnected()).isTrue();
  }

  @Test
  void publish_aDevicesStatus_isRefusedAndClientStaysConnected() throws Exception {
    final byte[] forged = StatusMessage.newBuilder().setDeviceId("lonely").build().toByteArray();
    assertThat(consumer.publish("troupe/c/quiet/status/lonely", forged, true)).isEqualTo(0x87);
    assertThat(consumer.publish("troupe/d/lonely/req", new byte[] {1}, false)).isEqualTo(0x87);
    assertThat(consumer.publish("troupe/r/c2/resp", new byte[] {1}, false)).isEqualTo(0x87);
    assertThat(consumer.client.isConnected()).isTrue();
    // still served after the refusals
    assertThat(consumer.request("nope.quiet", "x").pubackCode()).isEqualTo(0x90);
  }

  @Test
  void request_responseTopicOutsideNamespace_isRefusedAndNothingIsPublishedThere()
      throws Exception {
    final String otherPassword = gw.addIdentity("dave", IdentityRole.CONSUMER);
    try (MqttTestClient other = MqttTestClient.connect(gw.port(), "c2", "dave", otherPassword)) {
      assertThat(other.subscribe("troupe/r/c2/#")).isLessThan(0x80);
      final MqttTestClient.Sent sent =
          consumer.request("troupe/s/nope.quiet", "x", "troupe/r/c2/stolen", Map.of(), null);
      assertThat(sent.pubackCode()).isEqualTo(0x87);
      assertThat(sent.pubackReason())
          .hasValueSatisfying(r -> assertThat(r).contains("403").contains("troupe/r/c1/"));
      // a request that is answered, sent after, arrives; the refused one never did
      assertThat(other.call("nope.quiet", "y").status()).isEqualTo(404);
      assertThat(other.received)
          .extracting(MqttTestClient.Answer::topic)
          .containsOnly("troupe/r/c2/resp");
    }
  }

  @Test
  void request_unknownAddress_gets404InPubackAndAnswer() throws Exception {
    final MqttTestClient.Sent sent = consumer.request("nothing.here", "x");
    assertThat(sent.pubackCode()).isEqualTo(0x90);
    final MqttTestClient.Answer answer = sent.answer().get(10, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.properties().get("reason")).contains("nothing.here");
  }

  @Test
  void request_withoutResponseTopic_gets400InPuback() throws Exception {
    final MqttTestClient.Sent sent =
        consumer.request("troupe/s/echo.quiet", "x", null, Map.of(), null);
    assertThat(sent.pubackCode()).isEqualTo(0x83);
    assertThat(sent.pubackReason()).hasValueSatisfying(r -> assertThat(r).startsWith("400"));
  }

  @Test
  void request_bodyOverTheLimit_gets413AndTheClientStaysConnected() throws Exception {
    final MqttTestClient.Sent sent = consumer.request("echo.quiet", "x".repeat(70_000));
    assertThat(sent.pubackCode()).isEqualTo(0x97);
    final MqttTestClient.Answer answer = sent.answer().get(10, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.properties().get("reason")).contains("exceeds the limit");
    assertThat(consumer.client.isConnected()).isTrue();
  }

  @Test
  void request_noServerOnline_gets503InPubackAndAnswer() throws Exception {
    final MqttTestClient.Sent sent = consumer.request("echo.quiet", "x");
    assertThat(sent.pubackCode()).isEqualTo(0x80);
    assertThat(sent.answer().get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
  }

  @Test
  void api_malformedRequest_gets400AndTheBrokerKeepsServing() throws Exception {
    final byte[] garbage = "\u00ff\u0001garbage".getBytes(StandardCharsets.ISO_8859_1);
    final MqttTestClient.Answer answer =
        consumer
            .requestBytes("troupe/gw/api", garbage, "troupe/r/c1/api")
            .get(10, TimeUnit.SECONDS);
    assertThat(GatewayResponse.parseFrom(answer.body()).getStatus()).isEqualTo(400);
    assertThat(answer.properties()).containsEntry("status", "400");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> consumer.call("nope.quiet", "again").status() == 404);
  }

  @Test
  void api_addIdentity_byANonAdmin_isRefused() throws Exception {
    final GatewayResponse response =
        api(
            consumer,
            GatewayRequest.newBuilder()
                .setAddIdentity(
                    io.troupe.proto.v1.AddIdentity.newBuilder()
                        .setName("mallory")
                        .setRole(IdentityRole.ADMIN))
                .build());
    assertThat(response.getStatus()).isEqualTo(403);
  }
}
