package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.StatusMessage;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Devices that serve over CoAP (Californium servers on loopback) register with the gateway's
 * resource directory over DTLS, report their status, and answer requests routed to them from MQTT
 * consumers, with the same failover as MQTT agents.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapDeviceIT {

  private static final String COMMUNITY = "devs";

  /** Long, so that a failover before it is Californium's timeout, not the router's timer. */
  private static final long FORWARD_TIMEOUT_MS = 8_000;

  private static final List<String> DEVICES =
      List.of(
          "coap-a", "coap-b", "coap-c", "coap-d", "coap-e", "coap-f", "coap-g", "coap-h", "coap-i",
          "coap-j", "coap-k", "coap-l", "coap-m");

  private static GatewayFixture gw;
  private static CoapDeviceClient devices;
  private static TroupeAgent agent;
  private static MqttTestClient alice;
  private static final CountDownLatch hanging = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    final int dtlsPort = CoapGateway.freeUdpPort();
    gw =
        GatewayFixture.start(
            "coap-devices",
            GatewayFixture.CONFIG
                .replace(
                    "<forward-timeout-ms>" + GatewayFixture.FORWARD_TIMEOUT_MS,
                    "<forward-timeout-ms>" + FORWARD_TIMEOUT_MS)
                .replace("<default-deadline-ms>8000", "<default-deadline-ms>30000")
                .replace("<port>0</port>", "<port>" + dtlsPort + "</port>"));
    devices = new CoapDeviceClient(gw, dtlsPort, COMMUNITY);
    for (final String device : DEVICES) {
      gw.addIdentity(device, IdentityRole.DEVICE);
    }
    alice =
        MqttTestClient.connect(
            gw.port(), "alice-1", "alice", gw.addIdentity("alice", IdentityRole.CONSUMER));
    assertThat(alice.subscribe("troupe/r/alice-1/#")).isLessThan(0x80);
    // the MQTT agent creates the community (closed: the CoAP devices are on its member list) and
    // is the primary of echo; a request with body "hang" is never answered
    agent =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId("mqtt-a")
            .password(gw.addIdentity("mqtt-a", IdentityRole.DEVICE))
            .community(COMMUNITY)
            .members(members())
            .statusInterval(Duration.ofMillis(500))
            .service(
                "echo",
                request -> {
                  final String body = new String(request.body(), StandardCharsets.UTF_8);
                  if (body.equals("hang")) {
                    hanging.countDown();
                    return new CompletableFuture<>();
                  }
                  return CompletableFuture.completedFuture(
                      ServiceResponse.ok(("mqtt-a " + body).getBytes(), "text/plain"));
                })
            .build();
    agent.startBlocking();
  }

  private static String[] members() {
    final List<String> members = new java.util.ArrayList<>(DEVICES);
    members.add("alice");
    return members.toArray(String[]::new);
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (alice != null) {
      alice.close();
    }
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  @Test
  void registered_answersARequestFromMqtt_withItsPathBelowTheLink() throws Exception {
    try (CoapDeviceServer device = new CoapDeviceServer("coap-a")) {
      // given
      final CoapResponse registered = devices.register("coap-a", "basic", device.base(), 60);
      assertThat(registered.getCode())
          .as(registered.getResponseText())
          .isEqualTo(ResponseCode.CREATED);
      assertThat(registered.getOptions().getLocationPathString()).isEqualTo("rd/coap-a");
      assertThat(
              devices.status("coap-a", StatusMessage.getDefaultInstance().toByteArray()).getCode())
          .isEqualTo(ResponseCode.CHANGED);

      // when
      final MqttTestClient.Answer answer = alice.call("basic." + COMMUNITY, "hello");

      // then
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.text()).isEqualTo("coap-a POST /api hello");
      assertThat(answer.properties()).containsEntry("server", "coap-a");
    }
  }

  @Test
  void lapsedLifetime_goesOfflineAndFailsOver() throws Exception {
    try (CoapDeviceServer first = new CoapDeviceServer("coap-b");
        CoapDeviceServer second = new CoapDeviceServer("coap-c")) {
      // given coap-b (primary, a lifetime of 2 s never renewed) and coap-c (secondary)
      assertThat(devices.register("coap-b", "lapse", first.base(), 2).getCode())
          .isEqualTo(ResponseCode.CREATED);
      assertThat(devices.register("coap-c", "lapse", second.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-b");
      devices.alive("coap-c");
      assertThat(alice.call("lapse." + COMMUNITY, "x").properties())
          .containsEntry("server", "coap-b");

      // when the lifetime lapses, then the gateway says so and coap-c answers
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  "coap-c"
                      .equals(alice.call("lapse." + COMMUNITY, "x").properties().get("server")));
      assertThat(devices.status("coap-b", new byte[0]).getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    }
  }

  @Test
  void serviceUnavailable_failsOverToTheNextServer() throws Exception {
    try (CoapDeviceServer busy = new CoapDeviceServer("coap-d");
        CoapDeviceServer next = new CoapDeviceServer("coap-e")) {
      busy.code = ResponseCode.SERVICE_UNAVAILABLE;
      assertThat(devices.register("coap-d", "busy", busy.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      assertThat(devices.register("coap-e", "busy", next.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-d");
      devices.alive("coap-e");

      final MqttTestClient.Answer answer = alice.call("busy." + COMMUNITY, "x");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.properties()).containsEntry("server", "coap-e");
      assertThat(busy.asked).hasSize(1);
    }
  }

  @Test
  void unansweredConfirmable_countsAsTimeout_beforeTheForwardTimer() throws Exception {
    try (DatagramSocket silent =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CoapDeviceServer next = new CoapDeviceServer("coap-g")) {
      // given a primary that takes every datagram and never answers
      assertThat(
              devices
                  .register("coap-f", "silent", "coap://127.0.0.1:" + silent.getLocalPort(), 60)
                  .getCode())
          .isEqualTo(ResponseCode.CREATED);
      assertThat(devices.register("coap-g", "silent", next.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-f");
      devices.alive("coap-g");

      // when
      final long start = System.nanoTime();
      final MqttTestClient.Answer answer = alice.call("silent." + COMMUNITY, "x");
      final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      // then Californium gave up retransmitting well before the router's own timer
      assertThat(answer.properties()).containsEntry("server", "coap-g");
      assertThat(tookMs).isLessThan(FORWARD_TIMEOUT_MS - 1_000);
    }
  }

  @Test
  void mqttAgentPrimary_killed_theCoapSecondaryAnswersTheRequestInFlight() throws Exception {
    try (CoapDeviceServer device = new CoapDeviceServer("coap-h")) {
      assertThat(devices.register("coap-h", "echo", device.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-h");
      assertThat(alice.call("echo." + COMMUNITY, "one").text()).isEqualTo("mqtt-a one");

      final MqttTestClient.Sent sent = alice.request("echo." + COMMUNITY, "hang");
      assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
      agent.close();

      final MqttTestClient.Answer answer = sent.answer().get(20, TimeUnit.SECONDS);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).isEqualTo("coap-h POST /api hang");
    }
  }

  @Test
  void malformedRegistration_is400_andRegistersNothing() throws Exception {
    final CoapResponse badLifetime =
        devices.register("coap-i", "never", "coap://127.0.0.1:5999", 0);
    assertThat(badLifetime.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(badLifetime.getResponseText()).contains("lt");
    final CoapResponse badLinks =
        devices.post("coap-i", "/rd?ep=coap-i&d=" + COMMUNITY, "<api>;svc=never");
    assertThat(badLinks.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);

    final MqttTestClient.Answer answer = alice.call("never." + COMMUNITY, "x");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(devices.status("coap-i", new byte[0]).getResponseText())
        .contains("no live registration");
  }

  @Test
  void malformedStatus_is400_andChangesNothing() throws Exception {
    try (CoapDeviceServer device = new CoapDeviceServer("coap-j")) {
      assertThat(devices.register("coap-j", "quiet", device.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      // registered but silent: not yet served
      assertThat(alice.call("quiet." + COMMUNITY, "x").status()).isEqualTo(503);

      final CoapResponse bad =
          devices.status("coap-j", new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});

      assertThat(bad.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
      assertThat(bad.getResponseText()).contains("StatusMessage");
      assertThat(alice.call("quiet." + COMMUNITY, "x").status()).isEqualTo(503);
    }
  }

  @Test
  void endpointOtherThanTheIdentity_is403() throws Exception {
    final CoapResponse r =
        devices.post("coap-i", "/rd?ep=coap-a&d=" + COMMUNITY, "</api>;svc=basic");
    assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    assertThat(r.getResponseText()).contains("coap-i");
  }

  @Test
  void delete_endsTheRegistration() throws Exception {
    try (CoapDeviceServer device = new CoapDeviceServer("coap-k")) {
      assertThat(devices.register("coap-k", "gone", device.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-k");
      assertThat(alice.call("gone." + COMMUNITY, "x").status()).isEqualTo(200);

      try (CoapTestClient c = CoapTestClient.dtls("coap-k", devices.keyOf("coap-k"))) {
        assertThat(c.at(devices.uri("/rd/coap-k")).delete().getCode())
            .isEqualTo(ResponseCode.DELETED);
      }

      assertThat(alice.call("gone." + COMMUNITY, "x").status()).isEqualTo(503);
    }
  }

  @Test
  void baseAtTheGatewaysOwnEndpoint_is403() throws Exception {
    final CoapResponse r =
        devices.register("coap-i", "loop", "coap://127.0.0.1:" + devices.dtlsPort(), 60);
    assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    assertThat(r.getResponseText()).contains("own CoAP endpoints");
  }

  @Test
  void update_renewsTheLifetime() throws Exception {
    try (CoapDeviceServer device = new CoapDeviceServer("coap-m")) {
      assertThat(devices.register("coap-m", "renewed", device.base(), 1).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-m");
      try (CoapTestClient c = CoapTestClient.dtls("coap-m", devices.keyOf("coap-m"))) {
        assertThat(
                c.at(devices.uri("/rd/coap-m?lt=60"))
                    .post(new byte[0], MediaTypeRegistry.UNDEFINED)
                    .getCode())
            .isEqualTo(ResponseCode.CHANGED);
        assertThat(
                c.at(devices.uri("/rd/coap-m?ep=coap-n"))
                    .post(new byte[0], MediaTypeRegistry.UNDEFINED)
                    .getCode())
            .isEqualTo(ResponseCode.BAD_REQUEST);
      }
      // well past the first lifetime, the device is still served
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> alice.call("renewed." + COMMUNITY, "x").status() == 200);
    }
  }

  @Test
  void identityRemoved_endsItsRegistration() throws Exception {
    try (CoapDeviceServer device = new CoapDeviceServer("coap-l")) {
      assertThat(devices.register("coap-l", "removed", device.base(), 60).getCode())
          .isEqualTo(ResponseCode.CREATED);
      devices.alive("coap-l");

      assertThat(
              devices
                  .admin(
                      GatewayRequest.newBuilder()
                          .setRemoveIdentity(RemoveIdentity.newBuilder().setName("coap-l"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
      gw.addIdentity("coap-l", IdentityRole.DEVICE); // the same name, so the same CoAP key

      final CoapResponse r = devices.status("coap-l", new byte[0]);
      assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(r.getResponseText()).contains("no live registration");
    }
  }
}
