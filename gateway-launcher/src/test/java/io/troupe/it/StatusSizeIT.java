package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.proto.v1.UpdateCommunity;
import io.troupe.router.StatusLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, finding 2: one server's status with huge lists must not stall everyone's routing. A
 * device publishes such a status, then a consumer keeps calling that server's service while another
 * calls an unrelated one, which must still be answered promptly. The payload limit is the shipped 1
 * MiB, so that only the status limits stand between the huge status and the router.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusSizeIT {

  private static final StatusLimits LIMITS = StatusLimits.defaults();

  /** The shipped payload limit: the 40,000-entry status of the report fits in it. */
  private static final String CONFIG =
      GatewayFixture.CONFIG.replace(
          "<max-payload-bytes>65536</max-payload-bytes>",
          "<max-payload-bytes>1048576</max-payload-bytes>");

  /** The promptly an unrelated call must be answered in: generous, a stalled lock took 16 s. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private static GatewayFixture gw;
  private static EchoDevice echo;
  private static MqttTestClient big;
  private static MqttTestClient bob;
  private static MqttTestClient flooder;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("status-size", CONFIG);
    final String owner = gw.addIdentity("owner", IdentityRole.DEVICE);
    final String bigPassword = gw.addIdentity("big", IdentityRole.DEVICE);
    final String bobPassword = gw.addIdentity("bob", IdentityRole.CONSUMER);
    final String flooderPassword = gw.addIdentity("flooder", IdentityRole.CONSUMER);
    try (MqttTestClient o = device("owner", owner)) {
      assertThat(GatewaySecurityIT.api(o, join()).getStatus()).isEqualTo(201);
      assertThat(
              GatewaySecurityIT.api(
                      o,
                      GatewayRequest.newBuilder()
                          .setUpdateCommunity(
                              UpdateCommunity.newBuilder()
                                  .setCommunity("demo")
                                  .addAddMembers("big"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
      assertThat(GatewaySecurityIT.api(o, register("echo")).getStatus()).isEqualTo(201);
    }
    big = device("big", bigPassword);
    assertThat(GatewaySecurityIT.api(big, join()).getStatus()).isIn(200, 201);
    assertThat(GatewaySecurityIT.api(big, register("heavy")).getStatus()).isEqualTo(201);
    echo = EchoDevice.start(gw.port(), owner);
    bob = device("bob", bobPassword);
    flooder = device("flooder", flooderPassword);
  }

  @AfterAll
  static void stop() throws Exception {
    for (final AutoCloseable c : new AutoCloseable[] {flooder, bob, big, echo}) {
      if (c != null) {
        c.close();
      }
    }
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  @Test
  void fortyThousandComponents_refused_andAnUnrelatedServiceAnsweredPromptly() throws Exception {
    // given: the status of the report, 40,000 components installed and the same 40,000 required
    final Published huge = publishStatus(status(40_000, 40_000, 0));

    // then: an unrelated service is answered promptly while the huge one's service is called
    unrelatedAnsweredWhileHeavyIsCalled();
    // and the status was refused with the reason, keeping nothing of it
    assertThat(huge.code()).isEqualTo(0x97);
    assertThat(huge.reason()).contains("40000 metrics.components; the limit is 256");
  }

  @Test
  void statusAtEveryBound_accepted_andAnUnrelatedServiceAnsweredPromptly() throws Exception {
    // given: as large a status as the limits allow, and one entry more
    final Published atBounds =
        publishStatus(
            status(
                Math.min(LIMITS.maxComponents(), LIMITS.maxRequiredComponents()),
                LIMITS.maxRequiredComponents(),
                LIMITS.maxWindows()));
    final Published over =
        publishStatus(status(LIMITS.maxComponents() + 1, 1, LIMITS.maxWindows()));

    // then
    assertThat(atBounds.code()).isLessThan(0x80);
    assertThat(over.code()).isEqualTo(0x97);
    assertThat(over.reason()).contains("the limit is " + LIMITS.maxComponents());
    unrelatedAnsweredWhileHeavyIsCalled();
  }

  /**
   * While the flooder keeps calling big's service, one call after another (each waits for its
   * answer, which big never gives, so the flood stays one request deep and each ends after its 2 s
   * deadline), bob's calls to the echo service are each answered within {@link #PROMPTLY}.
   */
  private static void unrelatedAnsweredWhileHeavyIsCalled() throws Exception {
    final AtomicBoolean flooding = new AtomicBoolean(true);
    final AtomicInteger started = new AtomicInteger();
    final CompletableFuture<Void> flood =
        CompletableFuture.runAsync(
            () -> {
              while (flooding.get()) {
                started.incrementAndGet();
                try {
                  flooder
                      .request("troupe/s/heavy.demo", "x", "troupe/r/flooder/resp", Map.of(), 2L)
                      .answer()
                      .get(15, TimeUnit.SECONDS);
                } catch (final Exception e) {
                  // no answer in time, as while the router was stalled: keep calling
                }
              }
            });
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> started.get() >= 1);
      for (int i = 0; i < 3; i++) {
        final CompletableFuture<MqttTestClient.Answer> answer =
            bob.request("echo.demo", "ping " + i).answer();
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(answer).isCompleted());
        assertThat(answer.get().properties()).containsEntry("status", "200");
      }
    } finally {
      flooding.set(false);
      flood.get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * A status of big, AVAILABLE, with {@code components} installed, the first {@code required} of
   * them required, and {@code windows} all-day windows.
   */
  private static StatusMessage status(final int components, final int required, final int windows) {
    final List<String> names = IntStream.range(0, components).mapToObj(i -> "c" + i).toList();
    final AvailabilityCriteria.Builder criteria =
        AvailabilityCriteria.newBuilder().addAllRequiredComponents(names.subList(0, required));
    IntStream.range(0, windows)
        .forEach(
            i ->
                criteria.addWindows(
                    TimeWindow.newBuilder().addAllDays(List.of(1, 2, 3, 4, 5, 6, 7))));
    return StatusMessage.newBuilder()
        .setDeviceId("big")
        .setAvailability(Availability.AVAILABLE)
        .setMetrics(Metrics.newBuilder().addAllComponents(names))
        .setCriteria(criteria)
        .build();
  }

  private record Published(int code, String reason) {}

  private static Published publishStatus(final StatusMessage status) throws Exception {
    final IMqttToken token =
        big.client.publish(
            "troupe/c/demo/status/big",
            new MqttMessage(status.toByteArray(), 1, true, new MqttProperties()));
    token.waitForCompletion(30_000);
    final int[] codes = token.getReasonCodes();
    final String reason =
        token.getResponseProperties() == null
            ? ""
            : String.valueOf(token.getResponseProperties().getReasonString());
    return new Published(codes == null || codes.length == 0 ? 0 : codes[0], reason);
  }

  /** {@code name} connected and subscribed to its answers. */
  private static MqttTestClient device(final String name, final String password) throws Exception {
    final MqttTestClient c = MqttTestClient.connect(gw.port(), name, name, password);
    assertThat(c.subscribe("troupe/r/" + name + "/#")).isLessThan(0x80);
    return c;
  }

  private static GatewayRequest join() {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            io.troupe.proto.v1.JoinCommunity.newBuilder()
                .setCommunity("demo")
                .setCreateIfAbsent(true))
        .build();
  }

  private static GatewayRequest register(final String service) {
    return GatewayRequest.newBuilder()
        .setRegisterService(RegisterService.newBuilder().setCommunity("demo").setService(service))
        .build();
  }
}
