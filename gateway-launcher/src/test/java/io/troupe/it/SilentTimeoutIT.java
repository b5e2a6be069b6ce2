package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.SetServiceEnabled;
import io.troupe.proto.v1.StatusMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The retained distribution list follows a server's share at once (R5): disabled and enabled again
 * by the server at will; and a device that stays connected but stops reporting goes offline in it
 * once its status times out, with no event to tell the gateway.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SilentTimeoutIT {

  /** Whether the newest list received shows the share enabled. */
  private final AtomicBoolean shared = new AtomicBoolean(true);

  private static final String CONFIG =
      GatewayFixture.CONFIG.replace(
          "<status-timeout-ms>20000</status-timeout-ms>",
          "<status-timeout-ms>1500</status-timeout-ms>");

  @Test
  void statusTimesOutSilently_theRetainedListShowsTheServerOffline() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "silent-" + System.nanoTime()));
    try (GatewayFixture gw = GatewayFixture.start(home, GatewayFixture.freePort(), CONFIG)) {
      final String pw = gw.addIdentity("quiet", IdentityRole.DEVICE);
      try (MqttTestClient device = MqttTestClient.connect(gw.port(), "quiet", "quiet", pw)) {
        device.subscribe("troupe/r/quiet/#");
        GatewaySecurityIT.api(
            device,
            GatewayRequest.newBuilder()
                .setJoinCommunity(
                    JoinCommunity.newBuilder().setCommunity("hush").setCreateIfAbsent(true))
                .build());
        GatewaySecurityIT.api(
            device,
            GatewayRequest.newBuilder()
                .setRegisterService(
                    RegisterService.newBuilder().setCommunity("hush").setService("echo"))
                .build());
        final AtomicReference<Availability> listed = new AtomicReference<>();
        device.subscribe("troupe/c/hush/svc/echo/servers");
        device.publish(
            "troupe/c/hush/status/quiet",
            StatusMessage.newBuilder()
                .setDeviceId("quiet")
                .setAvailability(Availability.AVAILABLE)
                .build()
                .toByteArray(),
            true);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> latest(device, listed) == Availability.AVAILABLE);
        // when the server disables its share, then the retained list says so at once, also to a
        // new subscription; and again when it enables it
        for (final boolean enabled : new boolean[] {false, true}) {
          GatewaySecurityIT.api(
              device,
              GatewayRequest.newBuilder()
                  .setSetServiceEnabled(
                      SetServiceEnabled.newBuilder().setAddress("echo.hush").setEnabled(enabled))
                  .build());
          device.subscribe("troupe/c/hush/svc/echo/servers");
          await()
              .atMost(Duration.ofSeconds(5))
              .until(() -> latest(device, listed) != null && shared.get() == enabled);
        }
        // given a device that says nothing more, when its status times out, then
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> latest(device, listed) == Availability.OFFLINE);
        assertThat(device.client.isConnected()).as("no disconnect told the gateway").isTrue();
      }
    }
  }

  /** The availability of the only server in the newest distribution list received. */
  private Availability latest(
      final MqttTestClient device, final AtomicReference<Availability> listed) throws Exception {
    final MqttTestClient.Answer a = device.received.poll(200, TimeUnit.MILLISECONDS);
    if (a != null && a.topic().endsWith("/servers")) {
      final DistributionList list = DistributionList.parseFrom(a.body());
      if (list.getServersCount() == 1) {
        listed.set(list.getServers(0).getAvailability());
        shared.set(list.getServers(0).getEnabled());
      }
    }
    return listed.get();
  }
}
