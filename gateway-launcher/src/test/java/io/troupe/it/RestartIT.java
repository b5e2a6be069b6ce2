package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServerRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the gateway must keep survives a restart of the broker on the same folder. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartIT {

  /** Joins {@code community} (creating it if absent) and registers {@code service} in it. */
  static GatewayResponse register(
      final MqttTestClient device, final String community, final String service) throws Exception {
    GatewaySecurityIT.api(
        device,
        GatewayRequest.newBuilder()
            .setJoinCommunity(
                JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
            .build());
    return GatewaySecurityIT.api(
        device,
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder().setCommunity(community).setService(service))
            .build());
  }

  @Test
  void restart_keepsIdentitiesAdminSecretCommunitiesAndRoles() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "restart-" + System.nanoTime()));
    final int port = GatewayFixture.freePort();
    final String adminBefore;
    final String bob;
    final String mum;
    final String kid;
    try (GatewayFixture gw = GatewayFixture.start(home, port)) {
      adminBefore = gw.adminPassword();
      bob = gw.addIdentity("bob", IdentityRole.CONSUMER);
      mum = gw.addIdentity("mum", IdentityRole.DEVICE);
      kid = gw.addIdentity("kid", IdentityRole.DEVICE);
      try (MqttTestClient m = MqttTestClient.connect(port, "mum", "mum", mum);
          MqttTestClient k = MqttTestClient.connect(port, "kid", "kid", kid)) {
        m.subscribe("troupe/r/mum/#");
        k.subscribe("troupe/r/kid/#");
        assertThat(register(m, "family", "movies").getRegistration().getAddress())
            .isEqualTo("movies.family");
        assertThat(
                GatewaySecurityIT.api(
                        m,
                        GatewayRequest.newBuilder()
                            .setUpdateCommunity(
                                io.troupe.proto.v1.UpdateCommunity.newBuilder()
                                    .setCommunity("family")
                                    .addAddMembers("kid"))
                            .build())
                    .getStatus())
            .as("the owner lists kid in its closed community")
            .isEqualTo(200);
        assertThat(register(k, "family", "movies").getRegistration().getRole())
            .isEqualTo(ServerRole.SECONDARY);
      }
    }

    try (GatewayFixture gw = GatewayFixture.start(home, port)) {
      assertThat(gw.adminPassword()).isEqualTo(adminBefore);
      try (MqttTestClient b = MqttTestClient.connect(port, "bob-1", "bob", bob);
          MqttTestClient k = MqttTestClient.connect(port, "kid", "kid", kid);
          MqttTestClient m = MqttTestClient.connect(port, "mum", "mum", mum)) {
        assertThat(b.client.isConnected()).isTrue();
        k.subscribe("troupe/r/kid/#");
        m.subscribe("troupe/r/mum/#");
        final GatewayResponse again = register(k, "family", "movies");
        assertThat(again.getStatus()).isEqualTo(200);
        assertThat(again.getRegistration().getCreatedService()).isFalse();
        assertThat(again.getRegistration().getRole()).isEqualTo(ServerRole.SECONDARY);
        final GatewayResponse calendar = register(m, "family", "calendar");
        assertThat(calendar.getRegistration().getAddress()).isEqualTo("calendar.family");
        assertThat(calendar.getRegistration().getCreatedDomain()).isFalse();
      }
    }
  }

  @Test
  void restart_agentReconnectsRejoinsAndServesAgain() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "restart-agent-" + System.nanoTime()));
    final int port = GatewayFixture.freePort();
    final String device;
    final String consumer;
    io.troupe.agent.api.TroupeAgent agent = null;
    try {
      try (GatewayFixture gw = GatewayFixture.start(home, port)) {
        device = gw.addIdentity("phoenix", IdentityRole.DEVICE);
        consumer = gw.addIdentity("fan", IdentityRole.CONSUMER);
        agent =
            io.troupe.agent.api.TroupeAgent.builder()
                .port(port)
                .deviceId("phoenix")
                .password(device)
                .community("rise")
                .service("echo", io.troupe.agent.api.ServiceHandler.echo())
                .statusInterval(java.time.Duration.ofMillis(500))
                .build();
        agent.startBlocking();
        try (MqttTestClient fan = MqttTestClient.connect(port, "fan-1", "fan", consumer)) {
          fan.subscribe("troupe/r/fan-1/#");
          assertThat(fan.call("echo.rise", "before").text()).isEqualTo("before");
        }
      }
      try (GatewayFixture gw = GatewayFixture.start(home, port);
          MqttTestClient fan = MqttTestClient.connect(port, "fan-1", "fan", consumer)) {
        fan.subscribe("troupe/r/fan-1/#");
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(40))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(() -> fan.call("echo.rise", "after").status() == 200);
        assertThat(fan.call("echo.rise", "again").properties()).containsEntry("server", "phoenix");
      }
    } finally {
      if (agent != null) {
        agent.close();
      }
    }
  }
}
