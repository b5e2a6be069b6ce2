package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.devices.Criteria;
import org.junit.jupiter.api.Test;

/**
 * The work of a decision does not grow with the servers that cannot take it (issue 12): servers
 * outside an availability criterion that does not depend on the time rank behind the usable ones,
 * so a decision passes over none of them. The work is counted, not timed; WorstCaseDecisionBench
 * times it.
 */
class WorstCaseDecisionTest {

  private static final int SERVERS = 100;
  private static final int FLAT = 90;

  /** An available status whose battery is inside, or below, its own battery criterion. */
  private static StatusMessage status(final String device, final boolean flat) {
    return StatusMessage.newBuilder()
        .setDeviceId(device)
        .setAvailability(Availability.AVAILABLE)
        .setMetrics(Metrics.newBuilder().setBatteryPercent(flat ? 10 : 90))
        .setCriteria(AvailabilityCriteria.newBuilder().setMinBatteryPercent(50))
        .build();
  }

  @Test
  void decision_ninetyOfHundredServersOutsideCriteria_checksNoneOfThem() {
    // given: the first 90 registered, which PRIMARY_FIRST would try first, report a flat battery
    final RouterFixture f = new RouterFixture();
    for (int i = 0; i < SERVERS; i++) {
      final String device = "dev" + i;
      f.register(device, "demo", "echo");
      f.online(device, "demo");
      f.status(device, "demo", status(device, i < FLAT));
    }

    // when
    final long before = Criteria.checks();
    final Decision d = f.router.onRequest(RouterFixture.request("echo.demo"));
    final long checks = Criteria.checks() - before;

    // then: the first server inside its criteria, found without judging the ones outside
    assertThat(d)
        .isInstanceOfSatisfying(
            Decision.Forward.class, fw -> assertThat(fw.device()).isEqualTo("dev" + FLAT));
    assertThat(checks).isLessThan(10);
  }
}
