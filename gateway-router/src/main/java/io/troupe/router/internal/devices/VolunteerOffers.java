package io.troupe.router.internal.devices;

import io.troupe.router.GatewayRouter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which devices volunteer for which services (R16), as each device's latest status in each
 * community lists them ({@code StatusMessage.volunteer_services}): where the router looks for a
 * group member to ask when no server of a service can answer. Only lists that name something are
 * kept; each is bounded by the status limits ({@code max-services}). Not thread-safe: {@link
 * GatewayRouter} calls it under its routing lock.
 */
public final class VolunteerOffers {

  /** Per device, per community, the services its latest status there volunteers for. */
  private final Map<String, Map<String, Set<String>>> byDevice = new HashMap<>();

  /** Per community, per service, the devices that volunteer for it: what a choice reads. */
  private final Map<String, Map<String, Set<String>>> byService = new HashMap<>();

  /**
   * {@code device}'s latest status in {@code community} volunteers for {@code services} (names in
   * lower case), and for nothing else there any more.
   */
  public void reported(final String device, final String community, final Set<String> services) {
    final Map<String, Set<String>> communities = byDevice.get(device);
    final Set<String> before =
        communities == null ? Set.of() : communities.getOrDefault(community, Set.of());
    if (before.equals(services)) {
      return;
    }
    before.forEach(s -> unindex(community, s, device));
    if (services.isEmpty()) {
      communities.remove(community);
      if (communities.isEmpty()) {
        byDevice.remove(device);
      }
      return;
    }
    byDevice.computeIfAbsent(device, d -> new HashMap<>()).put(community, Set.copyOf(services));
    for (final String s : services) {
      byService
          .computeIfAbsent(community, c -> new HashMap<>())
          .computeIfAbsent(s, x -> new java.util.HashSet<>())
          .add(device);
    }
  }

  /** The devices whose latest status in {@code community} volunteers for {@code service}. */
  public Set<String> volunteersFor(final String community, final String service) {
    final Map<String, Set<String>> services = byService.get(community);
    final Set<String> devices = services == null ? null : services.get(service);
    return devices == null ? Set.of() : java.util.Collections.unmodifiableSet(devices);
  }

  private void unindex(final String community, final String service, final String device) {
    final Map<String, Set<String>> services = byService.get(community);
    final Set<String> devices = services.get(service);
    devices.remove(device);
    if (devices.isEmpty()) {
      services.remove(service);
      if (services.isEmpty()) {
        byService.remove(community);
      }
    }
  }
}
