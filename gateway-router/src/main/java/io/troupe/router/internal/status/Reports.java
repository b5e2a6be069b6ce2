package io.troupe.router.internal.status;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.AccessControl;
import io.troupe.router.Principal;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.StatusLimits;
import io.troupe.router.Verdict;
import io.troupe.router.internal.registry.Service;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The checks a device's report passes before anything of it is kept or delivered, the same for a
 * live publish and for a Will: it reports as itself, in a community it belongs to, within the
 * payload limit, as a well-formed message that names no other device; a status also within {@link
 * StatusLimits}.
 */
public final class Reports {

  private final int maxPayloadBytes;
  private final StatusBounds bounds;
  private final BiPredicate<String, String> isMember;

  /** Told of each status refused for a list or name past its limit. */
  private volatile RouterMetrics metrics = RouterMetrics.NONE;

  public Reports(
      final int maxPayloadBytes,
      final StatusLimits statusLimits,
      final BiPredicate<String, String> isMember) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.bounds = new StatusBounds(statusLimits);
    this.isMember = isMember;
  }

  public void reportTo(final RouterMetrics metrics) {
    this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
  }

  /** A status that passed, or the refusal. */
  record Checked<T>(Verdict verdict, T message) {}

  Checked<StatusMessage> status(
      final Principal who, final String community, final String device, final ByteString payload) {
    final Verdict common = common(who, community, device, payload);
    if (!common.isAllowed()) {
      return new Checked<>(common, null);
    }
    final StatusMessage status;
    try {
      status = StatusMessage.parseFrom(payload);
    } catch (final InvalidProtocolBufferException e) {
      return new Checked<>(
          Verdict.refused(Status.BAD_REQUEST, "malformed StatusMessage: " + e.getMessage()), null);
    }
    if (!status.getDeviceId().isEmpty() && !status.getDeviceId().equals(device)) {
      return new Checked<>(
          Verdict.refused(
              Status.BAD_REQUEST,
              "status names device '"
                  + status.getDeviceId()
                  + "' on the topic of '"
                  + device
                  + "'"),
          null);
    }
    final Optional<StatusBounds.Exceeded> exceeded = bounds.check(status);
    if (exceeded.isPresent()) {
      metrics.statusRefused(exceeded.get().field());
      return new Checked<>(
          Verdict.refused(Status.PAYLOAD_TOO_LARGE, exceeded.get().reason()), null);
    }
    return new Checked<>(Verdict.allowed(), status);
  }

  Checked<ServiceDescriptor> descriptor(
      final Principal who, final String community, final String device, final ByteString payload) {
    final Verdict common = common(who, community, device, payload);
    if (!common.isAllowed()) {
      return new Checked<>(common, null);
    }
    try {
      return new Checked<>(Verdict.allowed(), ServiceDescriptor.parseFrom(payload));
    } catch (final InvalidProtocolBufferException e) {
      return new Checked<>(
          Verdict.refused(Status.BAD_REQUEST, "malformed ServiceDescriptor: " + e.getMessage()),
          null);
    }
  }

  /**
   * Whether {@code device} may describe the service found (or not) as {@code community}/{@code
   * service}: it must exist (404) and {@code device} must serve it (403).
   */
  static Verdict describes(
      final Optional<Service> found,
      final String community,
      final String service,
      final String device) {
    if (found.isEmpty()) {
      return Verdict.refused(
          Status.NOT_FOUND,
          "no service '" + service + "' in '" + community + "'; register it first");
    }
    if (!found.get().servers().containsKey(device)) {
      return Verdict.refused(
          Status.FORBIDDEN,
          "'"
              + device
              + "' does not serve '"
              + service
              + "' in '"
              + community
              + "'; only its servers describe it");
    }
    return Verdict.allowed();
  }

  private Verdict common(
      final Principal who, final String community, final String device, final ByteString payload) {
    final Verdict rights =
        AccessControl.mayReportAs(who, device, isMember.test(community, who.identity()));
    if (!rights.isAllowed()) {
      return rights;
    }
    if (payload.size() > maxPayloadBytes) {
      return Verdict.refused(
          Status.PAYLOAD_TOO_LARGE,
          "report of " + payload.size() + " bytes exceeds the limit of " + maxPayloadBytes);
    }
    return Verdict.allowed();
  }
}
