package io.troupe.router;

import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the next server for a request: the session's server if it is usable (R8), then the
 * distribution rule's order (R6), keeping only servers that are enabled, active, alive and under
 * their in-progress limit (R7); a suspected server only when no alive one is left.
 */
final class Candidates {

  private Candidates() {}

  static Optional<String> next(
      final PendingRequest p,
      final Map<String, ServerState> servers,
      final Sessions sessions,
      final long nowMs,
      final Duration statusTimeout) {
    final List<Registry.ServerEntry> ordered = ordered(p);
    final Optional<String> sticky = sessions.boundServer(p);
    if (sticky.isPresent()) {
      ordered.sort(Comparator.comparing(e -> !e.device.equals(sticky.get())));
    }
    String suspected = null;
    for (final Registry.ServerEntry e : ordered) {
      if (p.tried.contains(e.device) || !e.enabled || e.role == ServerRole.PASSIVE) {
        continue;
      }
      final ServerState state = servers.get(e.device);
      if (state == null || !state.hasCapacity()) {
        continue;
      }
      final Presence presence = state.presence(nowMs, statusTimeout);
      if (presence == Presence.ALIVE) {
        return Optional.of(e.device);
      }
      if (presence == Presence.SUSPECTED && suspected == null) {
        suspected = e.device;
      }
    }
    return Optional.ofNullable(suspected);
  }

  private static List<Registry.ServerEntry> ordered(final PendingRequest p) {
    final List<Registry.ServerEntry> all = new ArrayList<>(p.service.servers.values());
    if (p.onlyDevice != null) {
      all.removeIf(e -> !e.device.equals(p.onlyDevice));
      return all;
    }
    final boolean secondaryFirst = p.service.rule.getOrder() == RequestOrder.SECONDARY_FIRST;
    all.sort(Comparator.comparingInt(e -> rank(e.role, secondaryFirst)));
    return all;
  }

  private static int rank(final ServerRole role, final boolean secondaryFirst) {
    final int primary = role == ServerRole.PRIMARY ? 0 : 1;
    return secondaryFirst ? 1 - primary : primary;
  }
}
