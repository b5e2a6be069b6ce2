package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.AssignRoles;
import io.troupe.proto.v1.RoleAssignment;
import io.troupe.proto.v1.ServerRole;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.requests.Tunnel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Roles by hand (R1): the community's owner or an admin makes servers of a service its primary,
 * secondaries or volunteers. A service keeps exactly one primary: a new primary makes the old one a
 * secondary. Each device whose role changed is sent a {@link RoleAssignment} on its control topic.
 */
final class RoleOps {

  private final Registry registry;
  private final Topics topics;
  private final LongSupplier nowMs;

  RoleOps(final Registry registry, final Topics topics, final LongSupplier nowMs) {
    this.registry = registry;
    this.topics = topics;
    this.nowMs = nowMs;
  }

  /**
   * Applies {@code op}. Answers 404 for an unknown community, service or a device that does not
   * serve the service, 403 unless the requester owns the community or is an admin, 400 for a role
   * other than PRIMARY, SECONDARY or VOLUNTEER, for no role at all, or for a result with other than
   * one primary. Nothing changes unless the whole request is valid.
   */
  ApiOutcome assign(final Principal who, final AssignRoles op) {
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null) {
      return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
    }
    if (!who.isAdmin() && !community.owner().equals(who.identity())) {
      return fail(Status.FORBIDDEN, "only the owner of '" + community.name() + "' or an admin");
    }
    final Service service = community.services().get(op.getService());
    if (service == null) {
      return fail(
          Status.NOT_FOUND, "no service '" + op.getService() + "' in '" + community.name() + "'");
    }
    if (op.getRolesMap().isEmpty()) {
      return fail(Status.BAD_REQUEST, "no role to assign");
    }
    final Map<String, ServerRole> next = new LinkedHashMap<>();
    service.servers().values().forEach(e -> next.put(e.device(), e.role()));
    final Optional<String> oldPrimary = primaryIn(next);
    final Map<String, ServerRole> served = new LinkedHashMap<>();
    final Map<String, ServerRole> advance = new LinkedHashMap<>();
    for (final Map.Entry<String, ServerRole> e : op.getRolesMap().entrySet()) {
      if (next.containsKey(e.getKey())) {
        served.put(e.getKey(), e.getValue());
      } else if (community.admits(e.getKey())) {
        advance.put(e.getKey(), e.getValue());
      } else {
        return fail(
            Status.NOT_FOUND,
            "'"
                + e.getKey()
                + "' does not serve '"
                + service.address()
                + "' and may not join '"
                + community.name()
                + "'");
      }
      if (!assignable(e.getValue())) {
        return fail(
            Status.BAD_REQUEST,
            "a role assigned by hand is PRIMARY, SECONDARY or VOLUNTEER, got "
                + e.getValue()
                + " for '"
                + e.getKey()
                + "'");
      }
    }
    final long primaries =
        op.getRolesMap().values().stream().filter(r -> r == ServerRole.PRIMARY).count();
    if (primaries > 1) {
      return fail(Status.BAD_REQUEST, "a service has exactly one primary; " + primaries + " given");
    }
    if (served.containsValue(ServerRole.PRIMARY)) {
      oldPrimary.ifPresent(p -> next.put(p, ServerRole.SECONDARY));
    }
    next.putAll(served);
    final boolean anyActive = next.values().stream().anyMatch(r -> r != ServerRole.PASSIVE);
    if (anyActive && next.values().stream().filter(r -> r == ServerRole.PRIMARY).count() != 1) {
      return fail(
          Status.BAD_REQUEST,
          "a service has exactly one primary; this would leave '" + service.address() + "' none");
    }
    final boolean waiting = !service.assigned().entrySet().containsAll(advance.entrySet());
    if (advance.containsValue(ServerRole.PRIMARY)) {
      // One primary waits at a time: a later one in advance replaces an earlier one.
      service.demoteAssignedPrimaries();
    }
    service.assign(advance);
    return apply(service, next, oldPrimary, waiting);
  }

  /**
   * The role {@code device} gets when it registers as an active server of {@code service}: one
   * assigned in advance (dropped from the waiting roles), else {@code otherwise}. A primary
   * assigned in advance makes the current primary a secondary, which is told on {@code told}.
   */
  ServerRole onRegister(
      final Service service,
      final String device,
      final ServerRole otherwise,
      final List<Directive> told) {
    final ServerRole assigned = service.unassign(device);
    if (assigned == null || otherwise == ServerRole.PRIMARY) {
      // The first active server is the primary whatever was assigned: a service has one.
      return otherwise;
    }
    if (assigned == ServerRole.PRIMARY) {
      for (final ServerEntry e : service.servers().values()) {
        if (e.role() == ServerRole.PRIMARY) {
          e.setRole(ServerRole.SECONDARY);
          told.add(roleControl(service, e.device(), ServerRole.SECONDARY));
        }
      }
    }
    return assigned;
  }

  private ApiOutcome apply(
      final Service service,
      final Map<String, ServerRole> next,
      final Optional<String> oldPrimary,
      final boolean waiting) {
    final List<Directive> told = new ArrayList<>();
    final Optional<String> newPrimary = primaryIn(next);
    boolean changed = waiting;
    for (final ServerEntry entry : service.servers().values()) {
      final ServerRole role = next.get(entry.device());
      if (role == entry.role()) {
        continue;
      }
      entry.setRole(role);
      changed = true;
      // The router itself tells a server that replaces a known primary (its promotion path).
      final boolean promotedByRouter =
          role == ServerRole.PRIMARY && oldPrimary.isPresent() && !oldPrimary.equals(newPrimary);
      if (!promotedByRouter) {
        told.add(roleControl(service, entry.device(), role));
      }
    }
    if (!changed) {
      return ApiAnswers.ok(Status.OK, null);
    }
    return ApiAnswers.changed(
        ApiAnswers.response(Status.OK, ApiAnswers.communityInfo(service.community(), true)),
        List.of(service),
        told);
  }

  private Directive roleControl(final Service service, final String device, final ServerRole role) {
    return new Directive.SendControl(
        device, topics.deviceControl(device), Tunnel.roleControl(service, role, nowMs.getAsLong()));
  }

  private static boolean assignable(final ServerRole role) {
    return role == ServerRole.PRIMARY
        || role == ServerRole.SECONDARY
        || role == ServerRole.VOLUNTEER;
  }

  private static Optional<String> primaryIn(final Map<String, ServerRole> roles) {
    return roles.entrySet().stream()
        .filter(e -> e.getValue() == ServerRole.PRIMARY)
        .map(Map.Entry::getKey)
        .findFirst();
  }
}
