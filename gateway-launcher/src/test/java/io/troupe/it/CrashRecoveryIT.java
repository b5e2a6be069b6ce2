package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway killed with SIGKILL in the middle of API traffic and routed requests keeps every
 * change it acknowledged: an API answer is sent only after the store's write returned.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {

  /** Identities the gateway acknowledged, with their passwords. */
  private final Map<String, String> identities = new ConcurrentHashMap<>();

  /** Devices whose community and two services the gateway acknowledged. */
  private final Map<String, Boolean> registered = new ConcurrentHashMap<>();

  private final AtomicInteger routed = new AtomicInteger();

  /** Why each traffic loop ended, for the failure message. */
  private final Map<String, String> ended = new ConcurrentHashMap<>();

  @Test
  void killDuringTraffic_restartKeepsEveryAcknowledgedChange() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "crash-" + System.nanoTime()));
    final ExecutorService traffic = Executors.newSingleThreadExecutor();
    try (GatewayProcess gw = GatewayProcess.start(home, GatewayFixture.freePort())) {
      // given: a served echo service, a consumer calling it, devices being added and registering
      final String echoPassword = addIdentity(gw, "echo-dev", IdentityRole.DEVICE);
      final String shopperPassword = addIdentity(gw, "shopper", IdentityRole.CONSUMER);
      try (AgentProcess echo =
          AgentProcess.echo(gw.port, "echo-dev", echoPassword, "shop", "echo")) {
        await().atMost(Duration.ofSeconds(60)).until(echo::serving);
        final Future<?> api = traffic.submit(() -> traffic(gw, shopperPassword));

        // when: killed while both run
        await()
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(
                () ->
                    assertThat(registered.size() >= 12 && routed.get() >= 5)
                        .as(
                            "identities %s, registered %s, routed %s, ended %s",
                            identities.keySet(), registered.keySet(), routed, ended)
                        .isTrue());
        gw.kill();
        await().atMost(Duration.ofSeconds(60)).until(api::isDone);
      }
    } finally {
      traffic.shutdownNow();
    }

    // then: a gateway on the same folder has every acknowledged identity, community and service
    try (GatewayProcess again = GatewayProcess.start(home, GatewayFixture.freePort())) {
      for (final Map.Entry<String, String> identity : identities.entrySet()) {
        try (MqttTestClient device =
            MqttTestClient.connect(
                again.port, identity.getKey(), identity.getKey(), identity.getValue())) {
          assertThat(device.client.isConnected()).as(identity.getKey()).isTrue();
          if (registered.containsKey(identity.getKey())) {
            device.subscribe("troupe/r/" + device.clientId + "/#");
            assertKept(device, "c" + identity.getKey(), "s1");
            assertKept(device, "c" + identity.getKey(), "s2");
          }
        }
      }
      try (Stream<Path> files = Files.list(again.dataFolder())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .allMatch(f -> f.equals("admin.secret") || f.startsWith("gateway-state.db"))
            .noneMatch(f -> f.endsWith(".tmp"));
      }
    }
  }

  private static void assertKept(
      final MqttTestClient device, final String community, final String service) throws Exception {
    final GatewayResponse again = RestartIT.register(device, community, service);
    assertThat(again.getStatus()).as(community + "/" + service).isEqualTo(200);
    assertThat(again.getRegistration().getCreatedService()).as(community + "/" + service).isFalse();
  }

  /**
   * Adds devices one after another; each creates its community and registers two services, and a
   * consumer calls the echo service between them.
   */
  private void traffic(final GatewayProcess gw, final String shopperPassword) {
    try (MqttTestClient admin =
            MqttTestClient.connect(gw.port, "admin-traffic", "admin", gw.adminPassword());
        MqttTestClient shopper =
            MqttTestClient.connect(gw.port, "shopper", "shopper", shopperPassword)) {
      admin.subscribe("troupe/r/admin-traffic/#");
      shopper.subscribe("troupe/r/shopper/#");
      for (int i = 0; ; i++) {
        final String name = "d" + i;
        final GatewayResponse added =
            GatewaySecurityIT.api(admin, addIdentityRequest(name, IdentityRole.DEVICE));
        if (added.getStatus() != 201) {
          ended.put("traffic", added.getStatus() + " " + added.getReason());
          return;
        }
        identities.put(name, added.getIdentity().getPassword());
        try (MqttTestClient device =
            MqttTestClient.connect(gw.port, name, name, identities.get(name))) {
          device.subscribe("troupe/r/" + name + "/#");
          final GatewayResponse s1 = RestartIT.register(device, "c" + name, "s1");
          final GatewayResponse s2 = RestartIT.register(device, "c" + name, "s2");
          if (!ok(s1) || !ok(s2)) {
            ended.put("traffic", s1.getStatus() + " " + s1.getReason() + ", " + s2.getReason());
            return;
          }
          registered.put(name, true);
        }
        final MqttTestClient.Answer answer = shopper.call("echo.shop", "hello");
        if (answer.status() == 200) {
          routed.incrementAndGet();
        }
      }
    } catch (final Exception e) {
      // the gateway was killed: what was acknowledged so far is what must survive
      ended.put("traffic", e.toString());
    }
  }

  private static boolean ok(final GatewayResponse response) {
    return response.getStatus() / 100 == 2;
  }

  private String addIdentity(final GatewayProcess gw, final String name, final IdentityRole role)
      throws Exception {
    try (MqttTestClient admin =
        MqttTestClient.connect(gw.port, "admin-" + name, "admin", gw.adminPassword())) {
      admin.subscribe("troupe/r/" + admin.clientId + "/#");
      final GatewayResponse response = GatewaySecurityIT.api(admin, addIdentityRequest(name, role));
      assertThat(response.getStatus()).as(response.getReason()).isEqualTo(201);
      return response.getIdentity().getPassword();
    }
  }

  private static GatewayRequest addIdentityRequest(final String name, final IdentityRole role) {
    return GatewayRequest.newBuilder()
        .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role))
        .build();
  }
}
