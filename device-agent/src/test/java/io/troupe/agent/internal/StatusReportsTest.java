package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.StatusMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusReportsTest {

  private static final ServiceShare ECHO =
      ServiceShare.newBuilder()
          .setService("echo")
          .setEnabled(true)
          .setRole(ServerRole.PRIMARY)
          .build();

  @Test
  void build_laysTheAgentsMeasuresOverTheApplicationsMetrics() {
    final Metrics app =
        Metrics.newBuilder()
            .setNetworkType(NetworkType.LAN)
            .setBatteryPercent(80)
            .setRequestsInProgress(99)
            .build();

    final StatusMessage s =
        StatusReports.build(
            "dev1",
            Availability.AVAILABLE,
            List.of(ECHO),
            app,
            Optional.empty(),
            new StatusReports.Load(3, 16, 1_000_000),
            1_700_000_000_000L,
            42);

    assertThat(s.getDeviceId()).isEqualTo("dev1");
    assertThat(s.getAvailability()).isEqualTo(Availability.AVAILABLE);
    assertThat(s.getServicesList()).containsExactly(ECHO);
    assertThat(s.getSequence()).isEqualTo(42);
    assertThat(s.getSentAtMs()).isEqualTo(1_700_000_000_000L);
    assertThat(s.hasCriteria()).isFalse();
    final Metrics m = s.getMetrics();
    assertThat(m.getNetworkType()).isEqualTo(NetworkType.LAN);
    assertThat(m.getBatteryPercent()).isEqualTo(80);
    assertThat(m.getRequestsInProgress()).isEqualTo(3);
    assertThat(m.getMaxRequestsInProgress()).isEqualTo(16);
    assertThat(m.getMemoryFreeBytes()).isEqualTo(1_000_000);
    assertThat(m.getDeviceTimeMs()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void build_keepsTheApplicationsFreeMemoryAndCriteria() {
    final AvailabilityCriteria criteria =
        AvailabilityCriteria.newBuilder().setMinBatteryPercent(20).build();
    final StatusMessage s =
        StatusReports.build(
            "dev1",
            Availability.BUSY,
            List.of(),
            Metrics.newBuilder().setMemoryFreeBytes(512).build(),
            Optional.of(criteria),
            new StatusReports.Load(0, 0, 1_000_000),
            1,
            1);
    assertThat(s.getMetrics().getMemoryFreeBytes()).isEqualTo(512);
    assertThat(s.getCriteria()).isEqualTo(criteria);
    assertThat(s.getAvailability()).isEqualTo(Availability.BUSY);
  }
}
