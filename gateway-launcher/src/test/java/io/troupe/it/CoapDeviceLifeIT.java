package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.proto.v1.IdentityRole;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A device that serves over CoAP only, as a new user meets it on the shared gateway (Californium
 * devices and clients): it stays alive while it answers the gateway's CoAP pings, names the members
 * of the community its registration creates, is reached by names in any case, and a DTLS client
 * with a wrong key or an unknown identity is told at once, the same way. Everything it creates
 * starts with {@code h2l-}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoapDeviceLifeIT {

  /** The gateway's counter of refused DTLS handshakes (the extension is not on this classpath). */
  private static final String HANDSHAKES_REFUSED = "io.troupe.gateway.coap.handshakes.refused";

  private static SharedGateway shared;
  private static MqttTestClient alice;

  @BeforeAll
  static void start() throws Exception {
    // a gateway still stopping in this JVM holds the JMX names of the metrics read here
    GatewayFixture.awaitBackgroundStops();
    shared = SharedGateway.get();
    // the MQTT agents' identities are added as they start
    for (final String device : new String[] {"h2l-cdev", "h2l-owner", "h2l-cdev-names"}) {
      shared.gw.addIdentity(device, IdentityRole.DEVICE);
    }
    alice =
        MqttTestClient.connect(
            shared.gw.port(),
            "h2l-alice-1",
            "h2l-alice",
            shared.gw.addIdentity("h2l-alice", IdentityRole.CONSUMER));
    assertThat(alice.subscribe("troupe/r/h2l-alice-1/#")).isLessThan(0x80);
  }

  @AfterAll
  static void stop() {
    if (alice != null) {
      alice.close();
    }
  }

  @Test
  void coapPrimaryAnsweringPings_staysAlive_andKeepsItsTraffic_whileAnMqttServerIsUp()
      throws Exception {
    final CoapDeviceClient devices = new CoapDeviceClient(shared.gw, shared.dtlsPort, "h2l-life");
    try (CoapDeviceServer device = new CoapDeviceServer("h2l-cdev")) {
      // given the CoAP device, primary, and an MQTT agent, secondary, both reporting available
      registerAlive(devices, device, "h2l-life", "h2l-mqtt,h2l-alice", "h2l-echo");
      try (TroupeAgent mqtt = agent("h2l-mqtt", "h2l-life", "h2l-echo")) {
        await()
            .pollInterval(Duration.ofMillis(100))
            .atMost(Duration.ofSeconds(5))
            .until(() -> "h2l-cdev".equals(server("h2l-echo.h2l-life")));

        // when the gateway's pings have had time to go unanswered (forward timeout 1 s), then
        // every call still goes to the CoAP primary
        await()
            .pollInterval(Duration.ofMillis(200))
            .during(Duration.ofSeconds(4))
            .atMost(Duration.ofSeconds(6))
            .until(() -> "h2l-cdev".equals(server("h2l-echo.h2l-life")));

        // and once it stops answering, it is passed over like a silent MQTT server
        device.close();
        await()
            .pollInterval(Duration.ofMillis(200))
            .atMost(Duration.ofSeconds(10))
            .until(() -> "h2l-mqtt".equals(server("h2l-echo.h2l-life")));
      }
    }
  }

  @Test
  void registrationNamingMembers_letsASecondaryJoin_withoutAnMqttHelper() throws Exception {
    final CoapDeviceClient devices = new CoapDeviceClient(shared.gw, shared.dtlsPort, "h2l-own");
    try (CoapDeviceServer device = new CoapDeviceServer("h2l-owner")) {
      // given a CoAP-only device whose registration creates the community with two members
      registerAlive(devices, device, "h2l-own", "h2l-sec,h2l-alice", "h2l-svc");

      // when a member joins as a secondary over MQTT
      try (TroupeAgent secondary = agent("h2l-sec", "h2l-own", "h2l-svc")) {
        assertThat(server("h2l-svc.h2l-own")).isEqualTo("h2l-owner");

        // then it serves when the owner leaves
        try (CoapTestClient c = CoapTestClient.dtls("h2l-owner", devices.keyOf("h2l-owner"))) {
          assertThat(c.at(devices.uri("/rd/h2l-owner")).delete().getCode())
              .isEqualTo(ResponseCode.DELETED);
        }
        await()
            .pollInterval(Duration.ofMillis(100))
            .atMost(Duration.ofSeconds(5))
            .until(() -> "h2l-sec".equals(server("h2l-svc.h2l-own")));
      }
    }
  }

  @Test
  void communityAndServiceInAnyCase_reachTheSameService_overCoapAndMqtt() throws Exception {
    final CoapDeviceClient devices = new CoapDeviceClient(shared.gw, shared.dtlsPort, "h2l-names");
    try (CoapDeviceServer device = new CoapDeviceServer("h2l-cdev-names")) {
      // given a registration that spells both names in capitals
      registerAlive(
          devices, device, "H2L-Names", SharedGateway.PLAIN_AS + ",h2l-alice", "H2L-Echo");

      // when a CoAP client calls the address in capitals, then the device answers (path as sent)
      try (CoapTestClient c = CoapTestClient.plain()) {
        final CoapResponse r =
            c.at("coap://127.0.0.1:" + shared.plainCoapPort + "/s/H2L-ECHO.H2L-NAMES/Some/Path")
                .get();
        assertThat(r.getCode()).as(r.getResponseText()).isEqualTo(ResponseCode.CONTENT);
        assertThat(r.getResponseText()).isEqualTo("h2l-cdev-names GET /api/Some/Path ");
      }
      // and so does an MQTT consumer calling it in lower case
      assertThat(alice.call("h2l-echo.h2l-names", "x").properties())
          .containsEntry("server", "h2l-cdev-names");
    }
  }

  @Test
  void wrongKeyAndUnknownIdentity_failAtOnce_withTheSameAlert() throws Exception {
    shared.gw.addIdentity("h2l-keyed", IdentityRole.DEVICE);
    final String wrong = new CoapDeviceClient(shared.gw, shared.dtlsPort, "x").keyOf("h2l-other");
    final long before = shared.gw.gateway.counter(HANDSHAKES_REFUSED);

    final Failure wrongKey = handshake("h2l-keyed", wrong);
    final Failure unknown = handshake("h2l-nobody", wrong);

    assertThat(wrongKey.error()).contains("DECRYPT_ERROR");
    assertThat(unknown.error()).isEqualTo(wrongKey.error());
    // one round trip more than a good handshake, not the client's retransmissions
    assertThat(wrongKey.millis()).isLessThan(2_000);
    assertThat(unknown.millis()).isLessThan(2_000);
    // counted (other classes on the shared gateway may add to it, never take away)
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(shared.gw.gateway.counter(HANDSHAKES_REFUSED) - before)
                    .isGreaterThanOrEqualTo(2));
  }

  /**
   * Registers {@code device} at /rd as the server of {@code service} in {@code community}, which
   * the registration creates with {@code members}, and reports it available.
   */
  private static void registerAlive(
      final CoapDeviceClient devices,
      final CoapDeviceServer device,
      final String community,
      final String members,
      final String service)
      throws Exception {
    final CoapResponse registered =
        devices.post(
            device.name,
            "/rd?ep="
                + device.name
                + "&d="
                + community
                + "&lt=60&members="
                + members
                + "&base="
                + device.base(),
            "</api>;svc=\"" + service + "\"");
    assertThat(registered.getCode())
        .as(registered.getResponseText())
        .isEqualTo(ResponseCode.CREATED);
    devices.alive(device.name);
  }

  /** How a DTLS client's first request failed, and after how long. */
  private record Failure(String error, long millis) {}

  private static Failure handshake(final String identity, final String key) throws Exception {
    try (CoapTestClient c = CoapTestClient.dtls(identity, key)) {
      final Request get = Request.newGet();
      get.setURI("coaps://127.0.0.1:" + shared.dtlsPort + "/rd");
      final long start = System.nanoTime();
      c.client.getEndpoint().sendRequest(get);
      await()
          .pollInterval(Duration.ofMillis(20))
          .atMost(Duration.ofSeconds(30))
          .until(() -> get.getSendError() != null || get.isTimedOut() || get.getResponse() != null);
      final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(get.getResponse()).isNull();
      return new Failure(String.valueOf(get.getSendError()), took);
    }
  }

  /** The server that answered a call to {@code address}, or the status when none did. */
  private static String server(final String address) throws Exception {
    final MqttTestClient.Answer a = alice.call(address, "x");
    return a.properties().getOrDefault("server", "status " + a.status());
  }

  /** An MQTT agent of {@code device} serving {@code service} in {@code community}, started. */
  private static TroupeAgent agent(
      final String device, final String community, final String service) throws Exception {
    final TroupeAgent agent =
        TroupeAgent.builder()
            .port(shared.gw.port())
            .deviceId(device)
            .password(shared.gw.addIdentity(device, IdentityRole.DEVICE))
            .community(community)
            .statusInterval(Duration.ofMillis(500))
            .service(
                service,
                request ->
                    CompletableFuture.completedFuture(
                        ServiceResponse.ok(
                            (device + " " + new String(request.body(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8),
                            "text/plain")))
            .build();
    agent.startBlocking();
    return agent;
  }
}
