package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.SetAccessPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Quota counters (R12) survive a kill -9 right after a burst: the gateway saves the counters that
 * changed about once a second, so the burst's usage is on disk within about a second, and a gateway
 * restarted on the same folder still refuses. One lean test that needs a gateway of its own, in its
 * own process, because SIGKILL is what it tests (the shared gateway must never die).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PolicyCountersCrashIT {

  private static final int QUOTA = 5_000;

  // CoAP over DTLS on any free port: 5684 may be another gateway's on this machine

  @Test
  void quotaUsedUp_killMinus9RightAfter_restartedGatewayStillRefuses() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "policy-crash-" + System.nanoTime()));
    final String device;
    final String user;
    try (GatewayProcess gw =
            GatewayProcess.start(home, GatewayFixture.freePort(), "--coap-port", "0");
        PolicySession admin = new PolicySession(gw.port, "kd-admin", "admin", gw.adminPassword())) {
      // given: an echo service whose consumers have 5,000 bytes per 10 minutes
      device = add(admin, "kd-dev", IdentityRole.DEVICE);
      user = add(admin, "kd-user", IdentityRole.CONSUMER);
      try (PolicySession echo = new PolicySession(gw.port, "kd-dev", "kd-dev", device);
          MqttTestClient consumer = MqttTestClient.connect(gw.port, "kd-user-1", "kd-user", user)) {
        echo.joinAndServe("kd", Optional.empty());
        final GatewayResponse set =
            admin.api(
                GatewayRequest.newBuilder()
                    .setSetAccessPolicy(
                        SetAccessPolicy.newBuilder()
                            .setPolicy(
                                AccessPolicy.newBuilder()
                                    .setScope(PolicyScope.SERVICE)
                                    .setTarget("echo.kd")
                                    .setQuotaBytes(QUOTA)
                                    .setQuotaWindowSeconds(600)))
                    .build());
        assertThat(set.getStatus()).as(set.getReason()).isEqualTo(200);
        consumer.subscribe("troupe/r/kd-user-1/#");

        // when: a burst uses the quota up (2 × (1,002 in + 1,000 out); the third does not fit)
        final String body = "k".repeat(1_000);
        assertThat(consumer.call("echo.kd", body).properties()).containsEntry("status", "200");
        assertThat(consumer.call("echo.kd", body).properties()).containsEntry("status", "200");
        assertThat(consumer.request("echo.kd", body).pubackCode()).isEqualTo(0x97);
        final FileTime burstEnded = FileTime.fromMillis(System.currentTimeMillis());

        // the store is written again (nothing else writes now: it is the counters), then SIGKILL
        await()
            .atMost(Duration.ofSeconds(3))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> lastWrite(gw.dataFolder()).compareTo(burstEnded) > 0);
        gw.kill();
      }
    }

    // then: a gateway on the same folder still counts the burst
    try (GatewayProcess again =
            GatewayProcess.start(home, GatewayFixture.freePort(), "--coap-port", "0");
        PolicySession echo = new PolicySession(again.port, "kd-dev", "kd-dev", device);
        MqttTestClient consumer =
            MqttTestClient.connect(again.port, "kd-user-1", "kd-user", user)) {
      echo.serveEcho("kd");
      final MqttTestClient.Sent refused = consumer.request("echo.kd", "k".repeat(1_000));
      assertThat(refused.pubackCode()).isEqualTo(0x97);
      assertThat(refused.pubackReason().orElse(""))
          .startsWith("429 quota of 5000 bytes per 600 s for service echo.kd used up");
    }
  }

  private static String add(final PolicySession admin, final String name, final IdentityRole role)
      throws Exception {
    final GatewayResponse r =
        admin.api(
            GatewayRequest.newBuilder()
                .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    return r.getIdentity().getPassword();
  }

  /** When the state database (with its journal) was last written. */
  private static FileTime lastWrite(final Path data) throws IOException {
    try (Stream<Path> files = Files.list(data)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("gateway-state"))
          .map(
              f -> {
                try {
                  return Files.getLastModifiedTime(f);
                } catch (final IOException e) {
                  return FileTime.fromMillis(0);
                }
              })
          .max(FileTime::compareTo)
          .orElse(FileTime.fromMillis(0));
    }
  }
}
