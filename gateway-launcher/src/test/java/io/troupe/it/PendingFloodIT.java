package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.StatusMessage;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, finding 7, with the shipped bounds on requests in flight: a consumer floods large
 * requests with a day-long message expiry at a server that says it is up and never answers. Past
 * its identity's share the gateway refuses them (429, PUBACK 0x97) instead of holding them in its
 * heap, while another identity's call is still served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PendingFloodIT {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PendingFloodIT.class);

  private static final int REQUESTS = 1_500;
  private static final int BODY_BYTES = 100_000;
  private static final long DAY_SECONDS = 86_400;

  /** The shipped {@code limits/max-pending-bytes-per-identity}. */
  private static final long SHARE_BYTES = 16L << 20;

  private static final String CONFIG =
      GatewayFixture.CONFIG.replace(
          "<max-payload-bytes>65536</max-payload-bytes>",
          "<max-payload-bytes>131072</max-payload-bytes>");

  private static GatewayFixture gw;
  private static MqttTestClient mute;
  private static EchoDevice echo;
  private static String flooderPassword;
  private static String carolPassword;

  @BeforeAll
  static void start() throws Exception {
    // a gateway still stopping in this JVM holds the JMX names of metrics read here and heap
    GatewayFixture.awaitBackgroundStops();
    gw = GatewayFixture.start("pending-flood", CONFIG);
    final String mutePassword = gw.addIdentity("mute", IdentityRole.DEVICE);
    final String ownerPassword = gw.addIdentity("owner", IdentityRole.DEVICE);
    flooderPassword = gw.addIdentity("flooder", IdentityRole.CONSUMER);
    carolPassword = gw.addIdentity("carol", IdentityRole.CONSUMER);
    // a server that says it is up and never answers: it does not even read its requests
    mute = MqttTestClient.connect(gw.port(), "mute", "mute", mutePassword);
    serve(mute, "quiet", "sink");
    try (MqttTestClient owner =
        MqttTestClient.connect(gw.port(), "owner", "owner", ownerPassword)) {
      serve(owner, "demo", "echo");
    }
    echo = EchoDevice.start(gw.port(), ownerPassword);
  }

  @AfterAll
  static void stop() throws Exception {
    if (echo != null) {
      echo.close();
    }
    if (mute != null) {
      mute.close();
    }
    gw.closeInBackground();
  }

  /** {@code device} joins {@code community}, registers {@code service} and says it is up. */
  private static void serve(
      final MqttTestClient device, final String community, final String service) throws Exception {
    device.subscribe("troupe/r/" + device.clientId + "/#");
    assertThat(
            GatewaySecurityIT.api(
                    device,
                    GatewayRequest.newBuilder()
                        .setJoinCommunity(
                            JoinCommunity.newBuilder()
                                .setCommunity(community)
                                .setCreateIfAbsent(true))
                        .build())
                .getStatus())
        .isEqualTo(201);
    assertThat(
            GatewaySecurityIT.api(
                    device,
                    GatewayRequest.newBuilder()
                        .setRegisterService(
                            RegisterService.newBuilder()
                                .setCommunity(community)
                                .setService(service))
                        .build())
                .getStatus())
        .isEqualTo(201);
    device.publish(
        "troupe/c/" + community + "/status/" + device.clientId,
        StatusMessage.newBuilder()
            .setDeviceId(device.clientId)
            .setAvailability(Availability.AVAILABLE)
            .build()
            .toByteArray(),
        true);
  }

  @Test
  void flood_ofLargeRequestsWithADayLongExpiry_isRefusedPastTheShare_andOthersAreServed()
      throws Exception {
    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    final long heapBefore = heapAfterGc();
    final String body = "x".repeat(BODY_BYTES);
    int accepted = 0;
    int refused = 0;
    Optional<String> reason = Optional.empty();
    // given a consumer that floods the mute server with requests it means to wait a day for
    try (MqttTestClient flooder =
        MqttTestClient.connect(gw.port(), "flooder-1", "flooder", flooderPassword)) {
      for (int i = 0; i < REQUESTS; i++) {
        final MqttTestClient.Sent sent =
            flooder.request(
                "troupe/s/sink.quiet", body, "troupe/r/flooder-1/resp", Map.of(), DAY_SECONDS);
        if (sent.pubackCode() == 0x97) {
          refused++;
          reason = reason.or(sent::pubackReason);
        } else if (sent.pubackCode() < 0x80) {
          accepted++;
        }
      }
      // then the gateway holds no more than the identity's share of them
      final long held = heapAfterGc() - heapBefore;
      log.info(
          "flood [requests: {}, accepted: {}, refused: {}, heap held after GC: {} MB]",
          REQUESTS,
          accepted,
          refused,
          held >> 20);
      // each request counts its body and correlation data ("c1" to "c1500")
      assertThat(accepted)
          .isBetween((int) (SHARE_BYTES / (BODY_BYTES + 5)), (int) (SHARE_BYTES / BODY_BYTES));
      assertThat(refused).isEqualTo(REQUESTS - accepted);
      assertThat(reason)
          .hasValueSatisfying(
              r -> assertThat(r).startsWith("429").contains("max-pending-bytes-per-identity"));
      assertThat(pending(jmx)).isEqualTo(accepted);
      assertThat(count(jmx, "pending.refused.identity_bytes")).isEqualTo(refused);
      assertThat(held)
          .as("heap held after the flood of %d MB", REQUESTS * (long) BODY_BYTES >> 20)
          .isLessThan(64L << 20);

      // and another identity's call is served meanwhile
      try (MqttTestClient carol =
          MqttTestClient.connect(gw.port(), "carol-1", "carol", carolPassword)) {
        carol.subscribe("troupe/r/carol-1/#");
        final MqttTestClient.Answer answer = carol.call("echo.demo", "still served");
        assertThat(answer.properties()).containsEntry("status", "200");
        assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("still served");
      }
    }
    assertThat(pending(jmx))
        .as("the flooder's requests still wait for the mute server")
        .isPositive();
  }

  /** The heap in use after a full collection: what the gateway holds. */
  private static long heapAfterGc() {
    GatewayFixture.awaitBackgroundStops();
    final var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static int pending(final MBeanServer jmx) throws Exception {
    return ((Number)
            jmx.getAttribute(
                new ObjectName("metrics", "name", "io.troupe.gateway.pending"), "Value"))
        .intValue();
  }

  private static long count(final MBeanServer jmx, final String name) throws Exception {
    final ObjectName bean = new ObjectName("metrics", "name", "io.troupe.gateway." + name);
    return jmx.isRegistered(bean) ? ((Number) jmx.getAttribute(bean, "Count")).longValue() : 0;
  }
}
