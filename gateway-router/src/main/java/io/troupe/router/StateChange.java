package io.troupe.router;

import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.ServiceRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one change wrote: rows to put (insert or replace) and keys to remove, per kind. A community
 * row carries no services (they are rows of their own, {@link ServiceRecord#getCommunity()} names
 * their community); removing a community lists its services' removals too.
 *
 * @param identities identities to put, by name
 * @param removedIdentities names of identities to remove
 * @param communities communities to put (without services), by name
 * @param removedCommunities names of communities to remove
 * @param services services to put, each with its community set
 * @param removedServices services to remove
 * @param clientIds client-id bindings to put
 * @param removedClientIds client ids whose binding to remove
 */
public record StateChange(
    List<IdentityRecord> identities,
    Set<String> removedIdentities,
    List<CommunityRecord> communities,
    Set<String> removedCommunities,
    List<ServiceRecord> services,
    Set<ServiceKey> removedServices,
    List<ClientBinding> clientIds,
    Set<String> removedClientIds) {

  public StateChange {
    identities = List.copyOf(identities);
    removedIdentities = Set.copyOf(removedIdentities);
    communities = List.copyOf(communities);
    removedCommunities = Set.copyOf(removedCommunities);
    services = List.copyOf(services);
    removedServices = Set.copyOf(removedServices);
    clientIds = List.copyOf(clientIds);
    removedClientIds = Set.copyOf(removedClientIds);
  }

  /** A service's key: its community and its name. */
  public record ServiceKey(String community, String service) {
    public ServiceKey {
      Objects.requireNonNull(community, "community");
      Objects.requireNonNull(service, "service");
    }
  }

  /** Whether the change writes nothing. */
  public boolean isEmpty() {
    return identities.isEmpty()
        && removedIdentities.isEmpty()
        && communities.isEmpty()
        && removedCommunities.isEmpty()
        && services.isEmpty()
        && removedServices.isEmpty()
        && clientIds.isEmpty()
        && removedClientIds.isEmpty();
  }

  /**
   * {@code state} with this change applied: what a store that held {@code state} holds after {@link
   * StateStore#write}. Puts replace in place and append what is new; services nest in their
   * community.
   */
  public GatewayState applyTo(final GatewayState state) {
    final Map<String, IdentityRecord> ids = new LinkedHashMap<>();
    state.getIdentitiesList().forEach(i -> ids.put(i.getName(), i));
    removedIdentities.forEach(ids::remove);
    identities.forEach(i -> ids.put(i.getName(), i));

    final Map<String, CommunityRecord> cs = new LinkedHashMap<>();
    final Map<ServiceKey, ServiceRecord> ss = new LinkedHashMap<>();
    for (final CommunityRecord c : state.getCommunitiesList()) {
      cs.put(c.getName(), c.toBuilder().clearServices().build());
      for (final ServiceRecord s : c.getServicesList()) {
        ss.put(
            new ServiceKey(c.getName(), s.getName()),
            s.toBuilder().setCommunity(c.getName()).build());
      }
    }
    removedCommunities.forEach(cs::remove);
    communities.forEach(c -> cs.put(c.getName(), c));
    removedServices.forEach(ss::remove);
    services.forEach(s -> ss.put(new ServiceKey(s.getCommunity(), s.getName()), s));

    final Map<String, ClientBinding> bindings = new LinkedHashMap<>();
    state.getClientIdsList().forEach(b -> bindings.put(b.getClientId(), b));
    removedClientIds.forEach(bindings::remove);
    clientIds.forEach(b -> bindings.put(b.getClientId(), b));

    final GatewayState.Builder out =
        state.toBuilder()
            .clearIdentities()
            .addAllIdentities(ids.values())
            .clearCommunities()
            .clearClientIds()
            .addAllClientIds(bindings.values());
    for (final CommunityRecord c : cs.values()) {
      final CommunityRecord.Builder cb = c.toBuilder();
      ss.forEach(
          (key, s) -> {
            if (key.community().equals(c.getName())) {
              cb.addServices(s);
            }
          });
      out.addCommunities(cb);
    }
    return out.build();
  }

  /** The change that turns {@code before} into {@code after}, row by row. */
  public static StateChange between(final GatewayState before, final GatewayState after) {
    final Builder change = builder();
    final Map<String, IdentityRecord> oldIds = new LinkedHashMap<>();
    before.getIdentitiesList().forEach(i -> oldIds.put(i.getName(), i));
    for (final IdentityRecord i : after.getIdentitiesList()) {
      if (!i.equals(oldIds.remove(i.getName()))) {
        change.putIdentity(i);
      }
    }
    oldIds.keySet().forEach(change::removeIdentity);

    final Map<String, CommunityRecord> oldCs = new LinkedHashMap<>();
    final Map<ServiceKey, ServiceRecord> oldSs = new LinkedHashMap<>();
    rows(before, oldCs, oldSs);
    final Map<String, CommunityRecord> newCs = new LinkedHashMap<>();
    final Map<ServiceKey, ServiceRecord> newSs = new LinkedHashMap<>();
    rows(after, newCs, newSs);
    newCs.forEach(
        (name, c) -> {
          if (!c.equals(oldCs.remove(name))) {
            change.putCommunity(c);
          }
        });
    oldCs.keySet().forEach(change::removeCommunity);
    newSs.forEach(
        (key, s) -> {
          if (!s.equals(oldSs.remove(key))) {
            change.putService(s);
          }
        });
    oldSs.keySet().forEach(k -> change.removeService(k.community(), k.service()));

    final Map<String, ClientBinding> oldBindings = new LinkedHashMap<>();
    before.getClientIdsList().forEach(b -> oldBindings.put(b.getClientId(), b));
    for (final ClientBinding b : after.getClientIdsList()) {
      if (!b.equals(oldBindings.remove(b.getClientId()))) {
        change.putClientId(b);
      }
    }
    oldBindings.keySet().forEach(change::removeClientId);
    return change.build();
  }

  private static void rows(
      final GatewayState state,
      final Map<String, CommunityRecord> communities,
      final Map<ServiceKey, ServiceRecord> services) {
    for (final CommunityRecord c : state.getCommunitiesList()) {
      communities.put(c.getName(), c.toBuilder().clearServices().build());
      for (final ServiceRecord s : c.getServicesList()) {
        services.put(
            new ServiceKey(c.getName(), s.getName()),
            s.toBuilder().setCommunity(c.getName()).build());
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects a change. The last word on a key wins: a put after a removal of the same key puts, a
   * removal after a put removes.
   */
  public static final class Builder {
    private final Map<String, IdentityRecord> identities = new LinkedHashMap<>();
    private final Map<String, Boolean> identityRemovals = new LinkedHashMap<>();
    private final Map<String, CommunityRecord> communities = new LinkedHashMap<>();
    private final Map<String, Boolean> communityRemovals = new LinkedHashMap<>();
    private final Map<ServiceKey, ServiceRecord> services = new LinkedHashMap<>();
    private final Map<ServiceKey, Boolean> serviceRemovals = new LinkedHashMap<>();
    private final Map<String, ClientBinding> clientIds = new LinkedHashMap<>();
    private final Map<String, Boolean> clientIdRemovals = new LinkedHashMap<>();

    public Builder putIdentity(final IdentityRecord record) {
      identityRemovals.remove(record.getName());
      identities.put(record.getName(), record);
      return this;
    }

    public Builder removeIdentity(final String name) {
      identities.remove(name);
      identityRemovals.put(name, true);
      return this;
    }

    /** Puts a community; its nested services, if any, are dropped from the row. */
    public Builder putCommunity(final CommunityRecord record) {
      communityRemovals.remove(record.getName());
      communities.put(record.getName(), record.toBuilder().clearServices().build());
      return this;
    }

    public Builder removeCommunity(final String name) {
      communities.remove(name);
      communityRemovals.put(name, true);
      return this;
    }

    /** Puts a service; {@code record.getCommunity()} must name its community. */
    public Builder putService(final ServiceRecord record) {
      if (record.getCommunity().isEmpty()) {
        throw new IllegalArgumentException(
            "a service row needs its community: " + record.getName());
      }
      final ServiceKey key = new ServiceKey(record.getCommunity(), record.getName());
      serviceRemovals.remove(key);
      services.put(key, record);
      return this;
    }

    public Builder removeService(final String community, final String service) {
      final ServiceKey key = new ServiceKey(community, service);
      services.remove(key);
      serviceRemovals.put(key, true);
      return this;
    }

    public Builder putClientId(final ClientBinding binding) {
      clientIdRemovals.remove(binding.getClientId());
      clientIds.put(binding.getClientId(), binding);
      return this;
    }

    public Builder removeClientId(final String clientId) {
      clientIds.remove(clientId);
      clientIdRemovals.put(clientId, true);
      return this;
    }

    public StateChange build() {
      return new StateChange(
          List.copyOf(identities.values()),
          identityRemovals.keySet(),
          List.copyOf(communities.values()),
          communityRemovals.keySet(),
          List.copyOf(services.values()),
          serviceRemovals.keySet(),
          List.copyOf(clientIds.values()),
          clientIdRemovals.keySet());
    }
  }
}
