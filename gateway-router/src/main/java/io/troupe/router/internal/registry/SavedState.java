package io.troupe.router.internal.registry;

import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.router.StateChange;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the store holds, row by row, so that a change is found by comparing only the rows it may
 * have touched with the registry: identities and client-id bindings are compared by reference (the
 * registry keeps them as the same immutable records until they change), communities and their
 * services only within the change's scope. Not thread-safe: the router's change lock guards it.
 */
public final class SavedState {

  /** Which communities a change may have touched; {@link #ALL} when it cannot say. */
  public record Scope(boolean all, Set<String> communities) {
    static final Scope ALL = new Scope(true, Set.of());
    public static final Scope NO_COMMUNITY = new Scope(false, Set.of());

    public static Scope community(final String name) {
      return new Scope(false, Set.of(name));
    }
  }

  private final Map<String, IdentityRecord> identities = new LinkedHashMap<>();
  private final Map<String, CommunityRecord> communities = new LinkedHashMap<>();
  private final Map<String, Map<String, ServiceRecord>> services = new HashMap<>();
  private final Map<String, ClientBinding> bindings = new LinkedHashMap<>();
  private final Map<String, KeyRecord> keys = new LinkedHashMap<>();

  static SavedState of(final GatewayState state) {
    final SavedState saved = new SavedState();
    saved.apply(StateChange.between(GatewayState.getDefaultInstance(), state));
    return saved;
  }

  /** What must be written to turn this into {@code registry}, looking only within {@code scope}. */
  StateChange changeTo(final Registry registry, final Scope scope) {
    final StateChange.Builder change = StateChange.builder();
    registry
        .identities()
        .forEach(
            (name, record) -> {
              if (identities.get(name) != record) {
                change.putIdentity(record);
              }
            });
    identities.keySet().stream()
        .filter(name -> !registry.identities().containsKey(name))
        .forEach(change::removeIdentity);

    registry
        .keys()
        .forEach(
            (id, record) -> {
              if (keys.get(id) != record) {
                change.putKey(record);
              }
            });
    keys.keySet().stream()
        .filter(id -> !registry.keys().containsKey(id))
        .forEach(change::removeKey);

    final Map<String, ClientBinding> now = new HashMap<>();
    for (final ClientBinding b : registry.clientIds().toRecords()) {
      now.put(b.getClientId(), b);
      if (bindings.get(b.getClientId()) != b) {
        change.putClientId(b);
      }
    }
    bindings.keySet().stream().filter(id -> !now.containsKey(id)).forEach(change::removeClientId);

    final Set<String> names =
        scope.all()
            ? union(communities.keySet(), registry.communities().keySet())
            : scope.communities();
    for (final String name : names) {
      community(registry.communities().get(name), name, change);
    }
    return change.build();
  }

  private void community(final Community c, final String name, final StateChange.Builder change) {
    final Map<String, ServiceRecord> before = services.getOrDefault(name, Map.of());
    if (c == null) {
      if (communities.containsKey(name)) {
        change.removeCommunity(name);
      }
      before.keySet().forEach(s -> change.removeService(name, s));
      return;
    }
    final CommunityRecord row = RegistryRecords.row(c);
    if (!row.equals(communities.get(name))) {
      change.putCommunity(row);
    }
    for (final Service s : c.services().values()) {
      final ServiceRecord sr = RegistryRecords.row(s);
      if (!sr.equals(before.get(s.name()))) {
        change.putService(sr);
      }
    }
    before.keySet().stream()
        .filter(s -> !c.services().containsKey(s))
        .forEach(s -> change.removeService(name, s));
  }

  /** The primary server of a service as saved, if any. */
  java.util.Optional<String> primaryOf(final String community, final String service) {
    final ServiceRecord r = services.getOrDefault(community, Map.of()).get(service);
    if (r == null) {
      return java.util.Optional.empty();
    }
    return r.getServersList().stream()
        .filter(e -> e.getRole() == io.troupe.proto.v1.ServerRole.PRIMARY)
        .map(io.troupe.proto.v1.ServerRecord::getDevice)
        .findFirst();
  }

  /** Takes in a change the store has written. */
  void apply(final StateChange change) {
    change.removedIdentities().forEach(identities::remove);
    change.identities().forEach(i -> identities.put(i.getName(), i));
    change
        .removedServices()
        .forEach(
            k -> {
              final Map<String, ServiceRecord> of = services.get(k.community());
              if (of != null) {
                of.remove(k.service());
              }
            });
    change
        .removedCommunities()
        .forEach(
            c -> {
              communities.remove(c);
              services.remove(c);
            });
    change.communities().forEach(c -> communities.put(c.getName(), c));
    change
        .services()
        .forEach(
            s ->
                services
                    .computeIfAbsent(s.getCommunity(), c -> new LinkedHashMap<>())
                    .put(s.getName(), s));
    change.removedClientIds().forEach(bindings::remove);
    change.clientIds().forEach(b -> bindings.put(b.getClientId(), b));
    change.removedKeys().forEach(keys::remove);
    change.keys().forEach(k -> keys.put(k.getKeyId(), k));
  }

  /** The whole saved state, to rebuild the registry from when a write failed. */
  GatewayState toState() {
    final GatewayState.Builder state =
        GatewayState.newBuilder()
            .addAllIdentities(identities.values())
            .addAllClientIds(bindings.values())
            .addAllKeys(keys.values());
    for (final CommunityRecord c : communities.values()) {
      state.addCommunities(
          c.toBuilder().addAllServices(services.getOrDefault(c.getName(), Map.of()).values()));
    }
    return state.build();
  }

  private static Set<String> union(final Set<String> a, final Set<String> b) {
    final Set<String> all = new java.util.LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }
}
