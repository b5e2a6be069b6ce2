package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.SkippedServer;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code table} and {@code why} show (issue 13, bugs 4, 5 and 7): counts per server of a
 * service, every server not chosen with its reason, a server's unmet criteria and the consumer's
 * area.
 */
class ObservationFixesTest {

  private final RouterFixture f = new RouterFixture();

  private static LoadRow row(final io.troupe.proto.v1.GatewayResponse table, final String server) {
    return table.getTable().getServersList().stream()
        .filter(r -> r.getServer().equals(server))
        .findFirst()
        .orElseThrow();
  }

  private DecisionRecord lastDecision(final String address) {
    final var decisions = f.why(device("dev1"), address).getDecisions();
    return decisions.getDecisions(decisions.getDecisionsCount() - 1);
  }

  @Test
  void table_failedCallsToAnotherService_doNotCountInThisOne() {
    // given: dev1 serves echo.demo and shoppinglist.abc
    f.register("dev1", "demo", "echo");
    f.register("dev1", "abc", "shoppinglist");
    f.online("dev1", "demo");

    // when: a call to shoppinglist.abc fails (503) and one to echo.demo is served
    final Decision.Forward failed =
        (Decision.Forward) f.router.onRequest(RouterFixture.request("shoppinglist.abc"));
    f.router.onReply(
        device("dev1"),
        "dev1",
        failed.requestId(),
        RouterFixture.reply(failed.requestId(), 503, ""));
    final Decision.Forward served =
        (Decision.Forward) f.router.onRequest(RouterFixture.request("echo.demo"));
    f.router.onReply(
        device("dev1"),
        "dev1",
        served.requestId(),
        RouterFixture.reply(served.requestId(), 200, ""));

    // then
    final LoadRow echo = row(f.table(device("dev1"), "echo.demo"), "dev1");
    assertThat(echo.getFailed()).isZero();
    assertThat(echo.getServed()).isEqualTo(1);
    final LoadRow shopping = row(f.table(device("dev1"), "shoppinglist.abc"), "dev1");
    assertThat(shopping.getFailed()).isEqualTo(1);
    assertThat(shopping.getServed()).isZero();
  }

  @Test
  void why_primaryGone_namesItAsSkippedOffline() {
    // given: dev1 the primary, dev2 a secondary; dev1's session ends (a kill -9)
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    f.router.onDisconnected(device("dev1"), 1);

    // when
    f.router.onRequest(RouterFixture.request("echo.demo"));

    // then
    final DecisionRecord d = lastDecision("echo.demo");
    assertThat(d.getServer()).isEqualTo("dev2");
    assertThat(d.getRule()).isEqualTo("PRIMARY_FIRST");
    assertThat(d.getSkippedList())
        .containsExactly(SkippedServer.newBuilder().setServer("dev1").setReason("offline").build());
  }

  @Test
  void why_everyServerNotChosen_isThere_aUsableOneRankedAfter() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");

    f.router.onRequest(RouterFixture.request("echo.demo"));

    assertThat(lastDecision("echo.demo").getSkippedList())
        .containsExactly(
            SkippedServer.newBuilder().setServer("dev2").setReason("ranked after dev1").build());
  }

  @Test
  void why_namesTheConsumersArea() {
    f.register("dev1", "demo", "echo");
    f.online("dev1", "demo");

    f.router.onRequest(RouterFixture.request("echo.demo", Map.of("area", "helsinki")));
    assertThat(lastDecision("echo.demo").getArea()).isEqualTo("helsinki");

    f.router.onRequest(RouterFixture.request("echo.demo"));
    assertThat(lastDecision("echo.demo").getArea()).isEmpty();
  }

  @Test
  void table_serverOutsideItsTimeWindow_saysWhichCriterionIsUnmet() {
    // given: dev1 serves from 01:00 to 02:00 UTC only; the clock says otherwise
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    final int hour = f.clock.instant().atZone(ZoneOffset.UTC).getHour();
    final int start = ((hour + 2) % 24) * 60;
    f.status(
        "dev1",
        "demo",
        StatusMessage.newBuilder()
            .setDeviceId("dev1")
            .setAvailability(Availability.AVAILABLE)
            .setMetrics(Metrics.getDefaultInstance())
            .setCriteria(
                AvailabilityCriteria.newBuilder()
                    .addWindows(
                        TimeWindow.newBuilder().setStartMinute(start).setEndMinute(start + 60)))
            .build());

    // when
    final var table = f.table(device("dev1"), "echo.demo");

    // then
    assertThat(row(table, "dev1").getCriteriaUnmet()).isEqualTo("outside its time windows");
    assertThat(row(table, "dev2").getCriteriaUnmet()).isEmpty();
  }
}
