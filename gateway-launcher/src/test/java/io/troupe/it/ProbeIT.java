package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway pings its servers on {@code /ctl}: a primary that stays connected but answers nothing
 * (a bare Paho client standing in for a hung agent) is suspected from its silence alone, before any
 * consumer's request has to time out on it, and is routed to again once it answers a ping. A real
 * agent answers its pings and keeps serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeIT {

  /** The router's idle period between pings of a server that answers them. */
  private static final Duration IDLE = Duration.ofSeconds(10);

  /** Every request forwarded to the silent primary, whenever it was seen. */
  private final List<MqttTestClient.Answer> forwardedToMute = new ArrayList<>();

  @Test
  void silentPrimary_isPingedAndSuspected_thenAnsweringAPingBringsItBack() throws Exception {
    try (GatewayFixture gw = GatewayFixture.start("probe")) {
      final String mutePw = gw.addIdentity("mute", IdentityRole.DEVICE);
      final String dev2Pw = gw.addIdentity("dev2", IdentityRole.DEVICE);
      final String alicePw = gw.addIdentity("alice", IdentityRole.CONSUMER);
      try (MqttTestClient mute = MqttTestClient.connect(gw.port(), "mute", "mute", mutePw);
          MqttTestClient alice = MqttTestClient.connect(gw.port(), "alice-1", "alice", alicePw)) {
        primary(mute);
        alice.subscribe("troupe/r/alice-1/#");
        try (TroupeAgent dev2 =
            TroupeAgent.builder()
                .port(gw.port())
                .deviceId("dev2")
                .password(dev2Pw)
                .community("probe")
                .service("echo", ServiceHandler.echo())
                .build()) {
          dev2.startBlocking();

          // given a primary that answers nothing, when the gateway pings it twice in a row, sooner
          // than it pings a server that answers, then it suspects it
          final Control first = nextPing(mute, Duration.ofSeconds(10));
          final long firstAt = System.nanoTime();
          final Control second = nextPing(mute, IDLE.minusSeconds(2));
          assertThat(second.getPing().getId()).isNotEqualTo(first.getPing().getId());
          assertThat(Duration.ofNanos(System.nanoTime() - firstAt)).isLessThan(IDLE);

          // so a call goes straight to the secondary: no forward to the primary, no timeout
          final long start = System.nanoTime();
          final MqttTestClient.Answer answer = alice.call("echo.probe", "who?");
          assertThat(answer.properties()).containsEntry("server", "dev2");
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
              .isLessThan(GatewayFixture.FORWARD_TIMEOUT_MS);
          assertThat(requestsIn(mute)).isEmpty();

          // when the primary answers a ping, then it is believed again and served first
          answerPing(mute, nextPing(mute, Duration.ofSeconds(10)));
          // (as a new session: alice's own stays with dev2, which served it, R8)
          final MqttTestClient.Sent sent =
              alice.request(
                  "troupe/s/echo.probe",
                  "back?",
                  "troupe/r/alice-1/resp",
                  java.util.Map.of("session", "after-the-ping"),
                  null);
          final MqttTestClient.Answer forwarded =
              await()
                  .atMost(Duration.ofSeconds(5))
                  .until(
                      () -> mute.received.poll(100, TimeUnit.MILLISECONDS),
                      a -> a != null && a.topic().equals("troupe/d/mute/req"));
          echo(mute, forwarded);
          assertThat(sent.answer().get(5, TimeUnit.SECONDS).properties())
              .containsEntry("server", "mute");
        }
      }
    }
  }

  /** {@code mute} creates the community (dev2 a member), registers echo first, says available. */
  private static void primary(final MqttTestClient mute) throws Exception {
    mute.subscribe("troupe/r/mute/#");
    mute.subscribe("troupe/d/mute/#");
    GatewaySecurityIT.api(
        mute,
        GatewayRequest.newBuilder()
            .setJoinCommunity(
                JoinCommunity.newBuilder()
                    .setCommunity("probe")
                    .setCreateIfAbsent(true)
                    .addMembers("dev2"))
            .build());
    GatewaySecurityIT.api(
        mute,
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder().setCommunity("probe").setService("echo"))
            .build());
    mute.publish(
        "troupe/c/probe/status/mute",
        StatusMessage.newBuilder()
            .setDeviceId("mute")
            .setAvailability(Availability.AVAILABLE)
            .build()
            .toByteArray(),
        true);
  }

  /**
   * The next ping on {@code troupe/d/mute/ctl}, skipping anything else; fails after {@code max}.
   */
  private Control nextPing(final MqttTestClient device, final Duration max) {
    return await()
        .atMost(max)
        .until(
            () -> {
              final MqttTestClient.Answer a = device.received.poll(100, TimeUnit.MILLISECONDS);
              if (a != null && a.topic().endsWith("/req")) {
                forwardedToMute.add(a);
              }
              if (a == null || !a.topic().endsWith("/ctl")) {
                return null;
              }
              return Control.parseFrom(a.body());
            },
            c -> c != null && c.hasPing());
  }

  private List<MqttTestClient.Answer> requestsIn(final MqttTestClient device) {
    final List<MqttTestClient.Answer> requests = new ArrayList<>(forwardedToMute);
    for (final MqttTestClient.Answer a : device.received) {
      if (a.topic().endsWith("/req")) {
        requests.add(a);
      }
    }
    return requests;
  }

  private static void answerPing(final MqttTestClient device, final Control ping) throws Exception {
    final String id = ping.getPing().getId();
    reply(
        device,
        id.getBytes(StandardCharsets.UTF_8),
        TunnelResponse.newBuilder().setRequestId(id).setStatus(200).build());
  }

  private static void echo(final MqttTestClient device, final MqttTestClient.Answer forwarded)
      throws Exception {
    final TunnelRequest request = TunnelRequest.parseFrom(forwarded.body());
    reply(
        device,
        forwarded.correlation(),
        TunnelResponse.newBuilder()
            .setRequestId(request.getRequestId())
            .setStatus(200)
            .setBody(request.getBody())
            .build());
  }

  private static void reply(
      final MqttTestClient device, final byte[] correlation, final TunnelResponse response)
      throws Exception {
    final MqttProperties properties = new MqttProperties();
    properties.setCorrelationData(correlation);
    device
        .client
        .publish(
            "troupe/gw/reply/" + device.clientId,
            new MqttMessage(response.toByteArray(), 1, false, properties))
        .waitForCompletion(10_000);
  }
}
