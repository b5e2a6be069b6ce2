package io.troupe.router.internal.devices;

import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's last status together with what routing decisions need of it, worked out once when it
 * arrives (outside the routing lock): its availability criteria judged against its own metrics, and
 * its roles by area as a map. A decision then does the same small work however long the lists the
 * device sent.
 *
 * @param message the status as the device sent it
 * @param criteria its availability criteria, ready for a decision's clock
 * @param areaRoles the active role it takes for the consumers of each area (R9), the first it
 *     listed for an area
 */
public record ReportedStatus(
    StatusMessage message, Criteria criteria, Map<String, ServerRole> areaRoles) {

  /** No status yet. */
  public static final ReportedStatus NONE =
      new ReportedStatus(StatusMessage.getDefaultInstance(), Criteria.NONE, Map.of());

  public ReportedStatus {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(criteria, "criteria");
    areaRoles = Map.copyOf(areaRoles);
  }

  /** {@code message} made ready for decisions. */
  public static ReportedStatus of(final StatusMessage message) {
    if (message == StatusMessage.getDefaultInstance()) {
      return NONE;
    }
    final Map<String, ServerRole> roles = new HashMap<>();
    for (final AreaRole ar : message.getCriteria().getAreaRolesList()) {
      if (isActive(ar.getRole())) {
        roles.putIfAbsent(ar.getArea(), ar.getRole());
      }
    }
    return new ReportedStatus(
        message, Criteria.of(message.getCriteria(), message.getMetrics()), roles);
  }

  /** The active role it takes for consumers in {@code area}, if its criteria give one. */
  public Optional<ServerRole> roleIn(final String area) {
    return Optional.ofNullable(areaRoles.get(area));
  }

  private static boolean isActive(final ServerRole role) {
    return role == ServerRole.PRIMARY
        || role == ServerRole.SECONDARY
        || role == ServerRole.VOLUNTEER;
  }
}
