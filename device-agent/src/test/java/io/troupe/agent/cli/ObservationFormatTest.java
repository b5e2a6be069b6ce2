package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.Decisions;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerPresence;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.SkippedServer;
import org.junit.jupiter.api.Test;

/** What {@code troupe table} and {@code troupe why} print. */
class ObservationFormatTest {

  @Test
  void table_aRowPerServerInAlignedColumns() {
    final LoadTable table =
        LoadTable.newBuilder()
            .setAddress("echo.demo")
            .setCommunity("demo")
            .setService("echo")
            .setRule(DistributionRule.newBuilder().setOrder(RequestOrder.LEAST_LOADED))
            .addServers(
                LoadRow.newBuilder()
                    .setServer("dev1")
                    .setRole(ServerRole.PRIMARY)
                    .setEnabled(true)
                    .setAvailability(Availability.AVAILABLE)
                    .setPresence(ServerPresence.PRESENCE_ALIVE)
                    .setInProgress(2)
                    .setMaxInProgress(4)
                    .setLoad(0.5)
                    .setBatteryPercent(80)
                    .setCharging(true)
                    .setNetworkType(NetworkType.WLAN)
                    .setStatusAgeMs(1_500)
                    .setServed(12)
                    .setFailed(1))
            .addServers(
                LoadRow.newBuilder()
                    .setServer("server-0123456789abcdef")
                    .setRole(ServerRole.SECONDARY)
                    .setAvailability(Availability.OFFLINE)
                    .setPresence(ServerPresence.PRESENCE_DEAD)
                    .setStatusAgeMs(-1))
            .build();

    assertThat(TableCommand.format(table).lines())
        .containsExactly(
            "echo.demo (community demo, service echo, rule LEAST_LOADED)",
            "SERVER                   ROLE       ENABLED  AVAILABILITY  PRESENCE  IN-PROGRESS"
                + "  LOAD  BATTERY  NETWORK  STATUS-AGE  SERVED  FAILED",
            "dev1                     PRIMARY    yes      AVAILABLE     ALIVE     2/4        "
                + "  0.50  80%+     WLAN     1.5s        12      1",
            "server-0123456789abcdef  SECONDARY  no       OFFLINE       DEAD      0/-        "
                + "  0.00  -        -        never       0       0");
  }

  /** Request r-1's first decision at the epoch, which skipped dev1 as offline. */
  private static DecisionRecord.Builder firstDecisionSkippingDev1() {
    return DecisionRecord.newBuilder()
        .setRequestId("r-1")
        .setAtMs(0)
        .setAttempt(1)
        .addSkipped(SkippedServer.newBuilder().setServer("dev1").setReason("offline"));
  }

  @Test
  void why_aLinePerDecisionWithWhatWasSkipped() {
    final Decisions decisions =
        Decisions.newBuilder()
            .setAddress("echo.demo")
            .addDecisions(firstDecisionSkippingDev1().setServer("dev2").setRule("PRIMARY_FIRST"))
            .addDecisions(
                DecisionRecord.newBuilder()
                    .setRequestId("r-2")
                    .setAtMs(1_000)
                    .setAttempt(2)
                    .addSkipped(
                        SkippedServer.newBuilder().setServer("dev2").setReason("already tried")))
            .build();
    assertThat(WhyCommand.format(decisions).lines())
        .containsExactly(
            "1970-01-01T00:00:00Z r-1 attempt 1: dev2 by PRIMARY_FIRST; skipped dev1 (offline)",
            "1970-01-01T00:00:01Z r-2 attempt 2: no server; skipped dev2 (already tried)");
    assertThat(WhyCommand.format(Decisions.newBuilder().setAddress("echo.demo").build()))
        .isEqualTo("no recent decisions for echo.demo\n");
  }

  @Test
  void why_noServerButAVolunteerAsked_saysWhoWasAsked() {
    final Decisions decisions =
        Decisions.newBuilder()
            .setAddress("echo.demo")
            .addDecisions(
                firstDecisionSkippingDev1().setRule("asked vol1 to volunteer; the request is held"))
            .build();
    assertThat(WhyCommand.format(decisions).lines())
        .containsExactly(
            "1970-01-01T00:00:00Z r-1 attempt 1: no server, asked vol1 to volunteer;"
                + " the request is held; skipped dev1 (offline)");
  }
}
