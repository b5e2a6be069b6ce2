package io.troupe.router.internal.devices;

import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sessions connected now, by identity: whom to disconnect when an identity is removed. Not
 * thread-safe: {@link GatewayRouter} guards it.
 */
public final class Connections {

  private final Map<String, Map<String, Long>> byIdentity = new HashMap<>();

  public void connected(final Principal who, final long connectionId) {
    byIdentity
        .computeIfAbsent(who.identity(), i -> new LinkedHashMap<>())
        .put(who.clientId(), connectionId);
  }

  /** Forgets the session unless a newer connection of the same client replaced it. */
  public void disconnected(final Principal who, final long connectionId) {
    final Map<String, Long> clients = byIdentity.get(who.identity());
    if (clients == null) {
      return;
    }
    clients.remove(who.clientId(), connectionId);
    if (clients.isEmpty()) {
      byIdentity.remove(who.identity());
    }
  }

  /** The client ids of {@code identity}'s sessions connected now. */
  public Set<String> clientsOf(final String identity) {
    final Map<String, Long> clients = byIdentity.get(identity);
    return clients == null ? Set.of() : Set.copyOf(clients.keySet());
  }
}
