package io.troupe.router.internal.registry;

import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.AccessControl;
import io.troupe.router.internal.locks.RouterLocks;

/**
 * What the edges ask of the registry outside the API and routing: membership and what members may
 * learn (as {@link AccessControl} asks), whether an admin exists, the whole state. Each read takes
 * the routing lock, so it is safe from any thread.
 */
public final class RegistryReads implements AccessControl.Members {

  private final Registry registry;
  private final RouterLocks locks;

  public RegistryReads(final Registry registry, final RouterLocks locks) {
    this.registry = registry;
    this.locks = locks;
  }

  /** Whether any admin identity exists. */
  public boolean hasAdmin() {
    return locks.routing(
        () ->
            registry.identities().values().stream()
                .anyMatch(i -> i.getRole() == IdentityRole.ADMIN));
  }

  /** The key generation of {@code identity}, empty when none; takes no lock. */
  public java.util.OptionalInt keyGeneration(final String identity) {
    return registry.keyGeneration(identity);
  }

  /** The registry as a whole state, as the store should hold it. */
  public GatewayState snapshot() {
    return locks.routing(registry::toState);
  }

  @Override
  public boolean isMember(final String community, final String identity) {
    return locks.routing(
        () -> {
          final Community c = registry.communities().get(community);
          return c != null && c.members().contains(identity);
        });
  }

  /**
   * Whether {@code identity} may learn which devices are in {@code community}: its owner may, a
   * member only where no service there hides a server from members (R15).
   */
  @Override
  public boolean seesDevices(final String community, final String identity) {
    return locks.routing(
        () -> {
          final Community c = registry.communities().get(community);
          return c == null || c.owner().equals(identity) || !Disclosure.hidesServersFromMembers(c);
        });
  }
}
