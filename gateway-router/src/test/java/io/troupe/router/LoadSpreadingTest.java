package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.presence.Announcements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the router spreads requests over a service's servers as events come: least-loaded ties take
 * turns, WEIGHTED follows spare capacity, and distribution lists are coalesced under a flood of
 * availability changes without going stale.
 */
class LoadSpreadingTest {

  private RouterFixture f;

  @BeforeEach
  void setUp() {
    f = new RouterFixture();
    f.router =
        new GatewayRouter(
            f.config, RouterFixture.LOGINS, f.clock, f.store, new SplittableRandom(7));
    for (final String d : List.of("dev1", "dev2", "dev3")) {
      f.register(d, "demo", "echo");
      f.online(d, "demo");
    }
  }

  private void order(final RequestOrder order) {
    final GatewayRequest set =
        GatewayRequest.newBuilder()
            .setSetDistributionRule(
                SetDistributionRule.newBuilder()
                    .setAddress("echo.demo")
                    .setRule(DistributionRule.newBuilder().setOrder(order)))
            .build();
    assertThat(f.api(device("dev1"), set).getStatus()).isEqualTo(200);
  }

  private void load(final String d, final double load) {
    f.status(
        d,
        "demo",
        StatusMessage.newBuilder()
            .setDeviceId(d)
            .setAvailability(Availability.AVAILABLE)
            .setMetrics(Metrics.newBuilder().setLoad(load))
            .build());
  }

  private int sessions;

  /**
   * Routes a request of a new session (a session stays with its first server, R8) and answers it at
   * once; the server that served it.
   */
  private String served() {
    final Decision.Forward fw =
        (Decision.Forward)
            f.router.onRequest(request("echo.demo", Map.of("session", "s" + sessions++)));
    assertThat(
            f.router.onReply(
                device(fw.device()),
                fw.device(),
                fw.requestId(),
                RouterFixture.reply(fw.requestId(), 200, "ok")))
        .hasSize(1);
    return fw.device();
  }

  @Test
  void leastLoaded_equalLoadsAnsweredAtOnce_takeTurns() {
    order(RequestOrder.LEAST_LOADED);
    final List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      servedBy.add(served());
    }
    assertThat(servedBy).containsExactly("dev1", "dev2", "dev3", "dev1", "dev2", "dev3", "dev1");
  }

  @Test
  void leastLoaded_aLighterServer_takesEveryRequestWhileLighter() {
    order(RequestOrder.LEAST_LOADED);
    load("dev1", 0.5);
    load("dev2", 0.5);
    load("dev3", 0.25);
    assertThat(List.of(served(), served(), served())).containsOnly("dev3");
  }

  @Test
  void weighted_seededDraws_followSpareCapacity() {
    order(RequestOrder.WEIGHTED);
    load("dev1", 0.0); // spare 1.0
    load("dev2", 0.5); // spare 0.5
    load("dev3", 1.0); // spare 0: drawn never while others have room
    final Map<String, Integer> counts = new HashMap<>();
    final int requests = 3_000;
    for (int i = 0; i < requests; i++) {
      counts.merge(served(), 1, Integer::sum);
    }
    assertThat(counts).doesNotContainKey("dev3");
    assertThat(counts.get("dev1") / (double) requests)
        .isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(0.04));
    assertThat(f.router.lastDecisions("echo.demo").get(0).rule()).isEqualTo("WEIGHTED");
  }

  @Test
  void availabilityFlood_listsComeAtOnceUpToTheLimit_thenOnceAtTheTick() {
    f.clock.advance(Duration.ofSeconds(2));
    int atOnce = 0;
    for (int i = 0; i < 20; i++) {
      final Availability a = i % 2 == 0 ? Availability.BUSY : Availability.AVAILABLE;
      final StatusMessage status =
          StatusMessage.newBuilder().setDeviceId("dev2").setAvailability(a).build();
      atOnce +=
          f.router
              .report(device("dev2"), "demo", "dev2", status.toByteString())
              .directives()
              .size();
    }
    assertThat(atOnce).isEqualTo(Announcements.LISTS_AT_ONCE);
    // (the tick also pings the servers not heard from for a while: not what is counted here)
    final List<Directive> tick =
        f.router.onTick().stream().filter(d -> d instanceof Directive.PublishServers).toList();
    assertThat(tick)
        .singleElement()
        .isInstanceOfSatisfying(
            Directive.PublishServers.class,
            d ->
                assertThat(d.list().getServersList())
                    .extracting(e -> e.getServer() + ":" + e.getAvailability())
                    .as("the list as it is at the tick: the last status was AVAILABLE")
                    .containsExactly("dev1:AVAILABLE", "dev2:AVAILABLE", "dev3:AVAILABLE"));
    assertThat(f.router.onTick()).as("said once").isEmpty();
    f.clock.advance(Duration.ofSeconds(1));
    final StatusMessage busy =
        StatusMessage.newBuilder().setDeviceId("dev2").setAvailability(Availability.BUSY).build();
    assertThat(f.router.report(device("dev2"), "demo", "dev2", busy.toByteString()).directives())
        .as("a new second: at once again")
        .hasSize(1);
  }

  @Test
  void disconnect_failsOverOnlyTheRequestsOnThatServer() {
    final List<Decision.Forward> sent = new ArrayList<>();
    order(RequestOrder.LEAST_LOADED);
    for (int i = 0; i < 6; i++) {
      sent.add((Decision.Forward) f.router.onRequest(request("echo.demo")));
    }
    final long onDev3 = sent.stream().filter(fw -> fw.device().equals("dev3")).count();
    assertThat(onDev3).isEqualTo(2);
    final Departure gone = f.router.onDisconnected(device("dev3"), f.connectionOf("dev3"));
    assertThat(gone.decisions()).hasSize(2);
    assertThat(gone.decisions())
        .allSatisfy(
            d ->
                assertThat(d)
                    .isInstanceOfSatisfying(
                        Decision.Forward.class,
                        fw -> assertThat(fw.device()).isNotEqualTo("dev3")));
    assertThat(f.router.pendingCount()).isEqualTo(6);
  }
}
