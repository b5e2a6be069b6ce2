package io.troupe.router.internal.routing;

import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ReportedStatus;
import java.util.Objects;

/**
 * One server of a service as the routing stages see it: its registration, its presence and the last
 * status it reported, frozen for one decision.
 *
 * @param device the server's device id
 * @param role its role for the service
 * @param enabled whether its share is enabled (R5)
 * @param presence what the gateway believes of it now
 * @param hasCapacity whether it takes more work: not BUSY and under its in-progress limit
 * @param inProgress requests the router has sent it and not seen concluded
 * @param reported the last status it reported (metrics and availability criteria), with what a
 *     decision needs of it worked out when it arrived
 * @param lastSent when the router last sent it a request, as a count of the router's sends (0 if
 *     never): of equally loaded servers the one that waited longest goes first
 */
public record Candidate(
    String device,
    ServerRole role,
    boolean enabled,
    Presence presence,
    boolean hasCapacity,
    int inProgress,
    ReportedStatus reported,
    long lastSent) {

  /** A candidate never sent a request, with {@code status} made ready for decisions here. */
  public Candidate(
      final String device,
      final ServerRole role,
      final boolean enabled,
      final Presence presence,
      final boolean hasCapacity,
      final int inProgress,
      final StatusMessage status) {
    this(device, role, enabled, presence, hasCapacity, inProgress, ReportedStatus.of(status), 0);
  }

  public Candidate {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(reported, "reported");
  }

  /** The last status it reported: metrics and availability criteria. */
  StatusMessage status() {
    return reported.message();
  }

  /**
   * The share of its capacity in use: the load it reported, or the router's count of requests in
   * progress against its limit, whichever is higher.
   */
  double utilisation() {
    final double load = Math.max(0, Math.min(1, status().getMetrics().getLoad()));
    final int max = status().getMetrics().getMaxRequestsInProgress();
    return max == 0 ? load : Math.max(load, (double) inProgress / max);
  }
}
