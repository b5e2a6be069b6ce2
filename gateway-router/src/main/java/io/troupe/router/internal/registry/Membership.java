package io.troupe.router.internal.registry;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.ServerRole;
import io.troupe.router.Directive;
import java.util.ArrayList;
import java.util.List;

/**
 * What it means for a device to stop being a member or a server: its server entries go (the next
 * active server is promoted when it was primary) and the retained topics it left behind are
 * cleared, so that nothing of it lingers. Not thread-safe: the router's lock guards it.
 */
public final class Membership {

  private final Registry registry;
  private final Topics topics;

  public Membership(final Registry registry, final Topics topics) {
    this.registry = registry;
    this.topics = topics;
  }

  /**
   * Removes {@code device} from {@code community}: its membership, its server entries and its
   * retained status and descriptors.
   *
   * @param touched receives the services whose server list changed
   * @param effects receives the retained topics to clear
   */
  public void leave(
      final Community community,
      final String device,
      final List<Service> touched,
      final List<Directive> effects) {
    community.removeMember(device);
    for (final Service service : community.services().values()) {
      if (removeServer(service, device)) {
        touched.add(service);
      }
      effects.add(
          new Directive.ClearRetained(topics.descriptor(community.name(), service.name(), device)));
    }
    effects.add(new Directive.ClearRetained(topics.status(community.name(), device)));
  }

  /**
   * Drops the roles assigned in advance in {@code community} to identities that are {@code gone}
   * (no longer admitted, or removed), so that none applies to a later identity of the same name.
   */
  public void dropAssigned(
      final Community community,
      final java.util.function.Predicate<String> gone,
      final List<Service> touched) {
    for (final Service service : community.services().values()) {
      if (service.unassignIf(gone) && !touched.contains(service)) {
        touched.add(service);
      }
    }
  }

  /** Removes {@code device} as a server of {@code service} and clears its descriptor there. */
  public boolean stopServing(
      final Service service, final String device, final List<Directive> effects) {
    final boolean removed = removeServer(service, device);
    if (removed) {
      effects.add(
          new Directive.ClearRetained(
              topics.descriptor(service.community().name(), service.name(), device)));
    }
    return removed;
  }

  /** Deletes a service: its servers, its address, its retained topics. */
  public void deleteService(final Service service, final List<Directive> effects) {
    registry.removeService(service);
    effects.add(
        new Directive.ClearRetained(topics.service(service.community().name(), service.name())));
  }

  /** Deletes a community with its services and every retained topic under it. */
  public void deleteCommunity(final Community community, final List<Directive> effects) {
    registry.removeCommunity(community);
    effects.add(new Directive.ClearRetained(topics.community(community.name())));
  }

  /** The services of {@code touched} that still exist. */
  List<Service> stillThere(final List<Service> touched) {
    final List<Service> out = new ArrayList<>();
    for (final Service s : touched) {
      if (registry.serviceAt(s.address()) == s && !out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Removes a server, and forgets its descriptor of the service; when it was the primary, the next
   * active server becomes primary.
   */
  private boolean removeServer(final Service service, final String device) {
    final ServerEntry removed = registry.removeServer(service, device);
    if (removed == null) {
      return false;
    }
    Descriptors.forget(service, device);
    if (removed.role() == ServerRole.PRIMARY) {
      service.servers().values().stream()
          .filter(e -> e.role() != ServerRole.PASSIVE)
          .findFirst()
          .ifPresent(next -> next.setRole(ServerRole.PRIMARY));
    }
    return true;
  }
}
