package io.troupe.agent.internal;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.StatusMessage;
import java.util.List;
import java.util.Optional;

/** Builds a device's status message from its state; pure. */
public final class StatusReports {

  /** What the agent measures itself. */
  public record Load(int requestsInProgress, int maxRequestsInProgress, long memoryFreeBytes) {}

  private StatusReports() {}

  /**
   * The status: the application's metrics with the agent's own measures laid over them (requests in
   * progress, their limit, the device time; free memory unless the application gave it).
   */
  public static StatusMessage build(
      final String deviceId,
      final Availability availability,
      final List<ServiceShare> services,
      final Metrics applicationMetrics,
      final Optional<AvailabilityCriteria> criteria,
      final Load load,
      final long nowMs,
      final long sequence) {
    final Metrics.Builder metrics =
        applicationMetrics.toBuilder()
            .setDeviceTimeMs(nowMs)
            .setRequestsInProgress(load.requestsInProgress())
            .setMaxRequestsInProgress(load.maxRequestsInProgress());
    if (applicationMetrics.getMemoryFreeBytes() == 0) {
      metrics.setMemoryFreeBytes(load.memoryFreeBytes());
    }
    final StatusMessage.Builder status =
        StatusMessage.newBuilder()
            .setDeviceId(deviceId)
            .setAvailability(availability)
            .setMetrics(metrics)
            .addAllServices(services)
            .setSentAtMs(nowMs)
            .setSequence(sequence);
    criteria.ifPresent(status::setCriteria);
    return status.build();
  }

  /** Free memory of this JVM: what it may still allocate. */
  public static long jvmMemoryFree() {
    final Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - rt.totalMemory() + rt.freeMemory();
  }
}
