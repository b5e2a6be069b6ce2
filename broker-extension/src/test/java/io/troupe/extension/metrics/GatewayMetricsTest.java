package io.troupe.extension.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.troupe.coap.UploadRefusal;
import io.troupe.router.ClientIdClaim;
import io.troupe.router.RouterMetrics.DescriptorRefusal;
import io.troupe.router.RouterMetrics.FailoverCause;
import io.troupe.router.RouterMetrics.PendingCap;
import io.troupe.router.StatusLimits;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The router's events as metrics in a real Dropwizard registry, under their documented names. */
class GatewayMetricsTest {

  private final MetricRegistry registry = new MetricRegistry();
  private final AtomicInteger pending = new AtomicInteger();

  @Test
  void events_countUnderTheirNames() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.requestRouted(2_000);
    metrics.requestRouted(4_000);
    metrics.answered(200);
    metrics.refused(503);
    metrics.refused(503);
    metrics.refused(404);
    metrics.failedOver(FailoverCause.TIMEOUT);
    metrics.failedOver(FailoverCause.UNAVAILABLE);
    pending.set(3);

    assertThat(registry.counter("io.troupe.gateway.requests").getCount()).isEqualTo(2);
    assertThat(registry.timer("io.troupe.gateway.decision.time").getCount()).isEqualTo(2);
    assertThat(registry.timer("io.troupe.gateway.decision.time").getSnapshot().getMax())
        .isEqualTo(4_000);
    assertThat(registry.counter("io.troupe.gateway.answers").getCount()).isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.refusals.total").getCount()).isEqualTo(3);
    assertThat(registry.counter("io.troupe.gateway.refusals.503").getCount()).isEqualTo(2);
    assertThat(registry.counter("io.troupe.gateway.refusals.404").getCount()).isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.failovers.timeout").getCount()).isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.failovers.disconnect").getCount()).isZero();
    assertThat(registry.counter("io.troupe.gateway.failovers.unavailable").getCount()).isEqualTo(1);
    assertThat(registry.getGauges().get("io.troupe.gateway.pending").getValue()).isEqualTo(3);
  }

  @Test
  void syncEvents_countUnderTheNamesOfTheContract() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.syncFetched();
    metrics.syncFetchBytes(1_000);
    metrics.syncFetchBytes(24);
    metrics.syncRefused(io.troupe.router.RouterMetrics.SyncRefusal.NOT_MEMBER);
    metrics.syncRefused(io.troupe.router.RouterMetrics.SyncRefusal.LIMIT);
    metrics.syncConflict();

    assertThat(registry.counter("io.troupe.gateway.sync.fetches").getCount()).isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.sync.fetch.bytes").getCount()).isEqualTo(1_024);
    assertThat(registry.counter("io.troupe.gateway.sync.refused.not_member").getCount())
        .isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.sync.refused.no_source").getCount()).isZero();
    assertThat(registry.counter("io.troupe.gateway.sync.refused.limit").getCount()).isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.sync.conflicts").getCount()).isEqualTo(1);
  }

  @Test
  void statusRefusals_countInAllAndPerField() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.statusRefused(StatusLimits.Field.COMPONENTS);
    metrics.statusRefused(StatusLimits.Field.COMPONENTS);
    metrics.statusRefused(StatusLimits.Field.WINDOW_DAYS);

    assertThat(registry.counter("io.troupe.gateway.statuses.refused.total").getCount())
        .isEqualTo(3);
    assertThat(registry.counter("io.troupe.gateway.statuses.refused.components").getCount())
        .isEqualTo(2);
    assertThat(registry.counter("io.troupe.gateway.statuses.refused.window_days").getCount())
        .isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.statuses.refused.areas").getCount()).isZero();
  }

  @Test
  void refusedDescriptors_countByKind_eachRegisteredAtStart() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.descriptorRefused(DescriptorRefusal.ITEM_NAME);
    metrics.descriptorRefused(DescriptorRefusal.ITEM_NAME);
    metrics.descriptorRefused(DescriptorRefusal.FORGED_DEVICE);

    final String prefix = "io.troupe.gateway.descriptors.refused.";
    assertThat(registry.counter(prefix + "item_name").getCount()).isEqualTo(2);
    assertThat(registry.counter(prefix + "forged_device").getCount()).isEqualTo(1);
    assertThat(registry.getCounters()).containsKey(prefix + "installable_not_owner");
    assertThat(registry.counter(prefix + "installable_not_owner").getCount()).isZero();
  }

  @Test
  void pendingRefusals_countPerBound_fromZero_andClampedDeadlinesApart() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);
    assertThat(registry.counter("io.troupe.gateway.pending.refused.bytes").getCount()).isZero();

    metrics.pendingRefused(PendingCap.IDENTITY_REQUESTS);
    metrics.pendingRefused(PendingCap.IDENTITY_REQUESTS);
    metrics.pendingRefused(PendingCap.IDENTITY_BYTES);
    metrics.pendingRefused(PendingCap.REQUESTS);
    metrics.deadlineClamped();

    assertThat(registry.counter("io.troupe.gateway.pending.refused.identity_requests").getCount())
        .isEqualTo(2);
    assertThat(registry.counter("io.troupe.gateway.pending.refused.identity_bytes").getCount())
        .isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.pending.refused.requests").getCount())
        .isEqualTo(1);
    assertThat(registry.counter("io.troupe.gateway.pending.refused.bytes").getCount()).isZero();
    assertThat(registry.counter("io.troupe.gateway.deadlines.clamped").getCount()).isEqualTo(1);
  }

  @Test
  void clientIdRefusals_countByReason() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.clientIdRefused(ClientIdClaim.TOO_LONG);
    metrics.clientIdRefused(ClientIdClaim.TOO_LONG);
    metrics.clientIdRefused(ClientIdClaim.OVER_IDENTITY_LIMIT);

    final String prefix = "io.troupe.gateway.client_ids.refused.";
    assertThat(registry.counter(prefix + "too_long").getCount()).isEqualTo(2);
    assertThat(registry.counter(prefix + "over_identity_limit").getCount()).isEqualTo(1);
    assertThat(registry.counter(prefix + "taken").getCount()).isZero();
    assertThat(registry.counter(prefix + "over_total_limit").getCount()).isZero();
    assertThat(registry.getCounters().keySet()).noneMatch(n -> n.endsWith(".held"));
  }

  @Test
  void keyRefusals_countUnderTheirDocumentedNames_eachRegisteredAtStart() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.keyRefused(io.troupe.router.RouterMetrics.KeyRefusal.FORGED);
    metrics.keyRefused(io.troupe.router.RouterMetrics.KeyRefusal.USED_UP);

    final String prefix = "io.troupe.gateway.keys.refused.";
    assertThat(registry.counter(prefix + "forged").getCount()).isEqualTo(1);
    assertThat(registry.counter(prefix + "used_up").getCount()).isEqualTo(1);
    assertThat(registry.getCounters().keySet())
        .contains(prefix + "malformed", prefix + "revoked", prefix + "expired")
        .contains(prefix + "replayed", prefix + "key_limit");
  }

  @Test
  void volunteers_askedServedAndRefused_countUnderTheirDocumentedNames_eachRegisteredAtStart() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.volunteerAsked();
    metrics.volunteerAsked();
    metrics.volunteerServed();
    metrics.holdRefused(io.troupe.router.RouterMetrics.HoldCap.IDENTITY);

    final String prefix = "io.troupe.gateway.volunteers.";
    assertThat(registry.counter(prefix + "asked").getCount()).isEqualTo(2);
    assertThat(registry.counter(prefix + "served").getCount()).isEqualTo(1);
    assertThat(registry.counter(prefix + "refused.identity").getCount()).isEqualTo(1);
    assertThat(registry.getCounters().keySet()).contains(prefix + "refused.service");
  }

  @Test
  void uploadRefusals_countUnderTheirDocumentedNames() {
    final GatewayMetrics metrics = GatewayMetrics.register(registry, pending::get);

    metrics.uploadRefused(UploadRefusal.PEER_BUSY);
    metrics.uploadRefused(UploadRefusal.PEER_BUSY);
    metrics.uploadRefused(UploadRefusal.TOO_LARGE);

    final String prefix = "io.troupe.gateway.coap.uploads.refused.";
    assertThat(registry.counter(prefix + "peer_busy").getCount()).isEqualTo(2);
    assertThat(registry.counter(prefix + "too_large").getCount()).isEqualTo(1);
    assertThat(registry.getCounters().keySet())
        .contains(
            prefix + "identity_busy",
            prefix + "gateway_busy",
            prefix + "incomplete",
            prefix + "idle");
  }

  @Test
  void registerAgain_replacesTheOldOnes_unregisterLeavesOthersAlone() {
    registry.counter("com.hivemq.messages.incoming.total.count").inc();
    GatewayMetrics.register(registry, () -> 1).requestRouted(1);
    GatewayMetrics.register(registry, () -> 2);

    final Gauge<?> gauge = registry.getGauges().get("io.troupe.gateway.pending");
    assertThat(gauge.getValue()).isEqualTo(2);
    assertThat(registry.counter("io.troupe.gateway.requests").getCount()).isZero();

    GatewayMetrics.unregister(registry);
    assertThat(registry.getNames()).containsExactly("com.hivemq.messages.incoming.total.count");
  }
}
