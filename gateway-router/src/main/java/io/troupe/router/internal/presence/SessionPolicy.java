package io.troupe.router.internal.presence;

import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The access policies' bound on a consumer's sessions (R12): {@code max_connections} of the
 * gateway's policy, and of the policy of each community the identity is a member of (not of those
 * it owns), counts its MQTT sessions connected now. A login past it is refused at CONNECT; a client
 * reconnecting under a client id already connected takes that session over and is not counted
 * twice. Admins are never refused, so that they can always change the policies.
 */
public final class SessionPolicy {

  private final Registry registry;
  private final Connections connections;
  private final AccessPolicies policies;
  private final RouterLocks locks;

  public SessionPolicy(
      final Registry registry,
      final Connections connections,
      final AccessPolicies policies,
      final RouterLocks locks) {
    this.registry = registry;
    this.connections = connections;
    this.policies = policies;
    this.locks = locks;
  }

  /** Why a new session of {@code identity} as {@code clientId} is refused; empty when it is not. */
  public Optional<String> refusal(final String identity, final String clientId) {
    if (policies.book().isEmpty()) {
      return Optional.empty();
    }
    return locks.routing(
        () -> {
          final List<String> communities = new ArrayList<>();
          for (final Community c : registry.communities().values()) {
            if (!c.owner().equals(identity) && c.members().contains(identity)) {
              communities.add(c.name());
            }
          }
          final int sessions =
              (int)
                  connections.clientsOf(identity).stream()
                      .filter(id -> !id.equals(clientId))
                      .count();
          return policies.sessionRefusal(communities, sessions);
        });
  }
}
