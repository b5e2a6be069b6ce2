package io.troupe.router;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.ServiceRecord;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * @param keys keys (R14) to put, by key id
 * @param removedKeys ids of keys to remove
 * @param policies access policies (R12) to put, by scope and target
 * @param removedPolicies scopes and targets whose policy to remove
 */
public record StateChange(
    List<IdentityRecord> identities,
    Set<String> removedIdentities,
    List<CommunityRecord> communities,
    Set<String> removedCommunities,
    List<ServiceRecord> services,
    Set<ServiceKey> removedServices,
    List<ClientBinding> clientIds,
    Set<String> removedClientIds,
    List<KeyRecord> keys,
    Set<String> removedKeys,
    List<AccessPolicy> policies,
    Set<PolicyKey> removedPolicies) {

  public StateChange {
    identities = List.copyOf(identities);
    removedIdentities = Set.copyOf(removedIdentities);
    communities = List.copyOf(communities);
    removedCommunities = Set.copyOf(removedCommunities);
    services = List.copyOf(services);
    removedServices = Set.copyOf(removedServices);
    clientIds = List.copyOf(clientIds);
    removedClientIds = Set.copyOf(removedClientIds);
    keys = List.copyOf(keys);
    removedKeys = Set.copyOf(removedKeys);
    policies = List.copyOf(policies);
    removedPolicies = Set.copyOf(removedPolicies);
  }

  /** An access policy's key: its scope and target. */
  public record PolicyKey(PolicyScope scope, String target) {
    public PolicyKey {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(target, "target");
    }

    public static PolicyKey of(final AccessPolicy policy) {
      return new PolicyKey(policy.getScope(), policy.getTarget());
    }
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
        && removedClientIds.isEmpty()
        && keys.isEmpty()
        && removedKeys.isEmpty()
        && policies.isEmpty()
        && removedPolicies.isEmpty();
  }

  /**
   * {@code state} with this change applied: what a store that held {@code state} holds after {@link
   * StateStore#write}. Puts replace in place and append what is new; services nest in their
   * community.
   */
  public GatewayState applyTo(final GatewayState state) {
    final Map<String, CommunityRecord> cs = new LinkedHashMap<>();
    final Map<ServiceKey, ServiceRecord> ss = new LinkedHashMap<>();
    rows(state, cs, ss);
    removedCommunities.forEach(cs::remove);
    communities.forEach(c -> cs.put(c.getName(), c));
    removedServices.forEach(ss::remove);
    services.forEach(s -> ss.put(new ServiceKey(s.getCommunity(), s.getName()), s));

    final GatewayState.Builder out =
        state.toBuilder()
            .clearIdentities()
            .addAllIdentities(
                applied(
                    state.getIdentitiesList(),
                    IdentityRecord::getName,
                    removedIdentities,
                    identities))
            .clearCommunities()
            .clearClientIds()
            .addAllClientIds(
                applied(
                    state.getClientIdsList(),
                    ClientBinding::getClientId,
                    removedClientIds,
                    clientIds))
            .clearKeys()
            .addAllKeys(applied(state.getKeysList(), KeyRecord::getKeyId, removedKeys, keys))
            .clearPolicies()
            .addAllPolicies(
                applied(state.getPoliciesList(), PolicyKey::of, removedPolicies, policies));
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
    diff(
        before.getIdentitiesList(),
        after.getIdentitiesList(),
        IdentityRecord::getName,
        change::putIdentity,
        change::removeIdentity);
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

    diff(
        before.getClientIdsList(),
        after.getClientIdsList(),
        ClientBinding::getClientId,
        change::putClientId,
        change::removeClientId);
    diff(
        before.getKeysList(),
        after.getKeysList(),
        KeyRecord::getKeyId,
        change::putKey,
        change::removeKey);
    diff(
        before.getPoliciesList(),
        after.getPoliciesList(),
        PolicyKey::of,
        change::putPolicy,
        change::removePolicy);
    return change.build();
  }

  /**
   * {@code rows} with {@code removed} taken out and {@code puts} replacing in place or appended.
   */
  private static <K, V> Collection<V> applied(
      final List<V> rows, final Function<V, K> key, final Set<K> removed, final List<V> puts) {
    final Map<K, V> out = new LinkedHashMap<>();
    rows.forEach(r -> out.put(key.apply(r), r));
    removed.forEach(out::remove);
    puts.forEach(r -> out.put(key.apply(r), r));
    return out.values();
  }

  /** Puts what differs in {@code after} and removes what only {@code before} has, by key. */
  private static <K, V> void diff(
      final List<V> before,
      final List<V> after,
      final Function<V, K> key,
      final Consumer<V> put,
      final Consumer<K> remove) {
    final Map<K, V> old = new LinkedHashMap<>();
    before.forEach(r -> old.put(key.apply(r), r));
    for (final V r : after) {
      if (!r.equals(old.remove(key.apply(r)))) {
        put.accept(r);
      }
    }
    old.keySet().forEach(remove);
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
    private final Map<String, KeyRecord> keys = new LinkedHashMap<>();
    private final Map<String, Boolean> keyRemovals = new LinkedHashMap<>();
    private final Map<PolicyKey, AccessPolicy> policies = new LinkedHashMap<>();
    private final Map<PolicyKey, Boolean> policyRemovals = new LinkedHashMap<>();

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

    public Builder putKey(final KeyRecord record) {
      keyRemovals.remove(record.getKeyId());
      keys.put(record.getKeyId(), record);
      return this;
    }

    public Builder removeKey(final String keyId) {
      keys.remove(keyId);
      keyRemovals.put(keyId, true);
      return this;
    }

    public Builder putPolicy(final AccessPolicy policy) {
      final PolicyKey key = PolicyKey.of(policy);
      policyRemovals.remove(key);
      policies.put(key, policy);
      return this;
    }

    public Builder removePolicy(final PolicyKey key) {
      policies.remove(key);
      policyRemovals.put(key, true);
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
          clientIdRemovals.keySet(),
          List.copyOf(keys.values()),
          keyRemovals.keySet(),
          List.copyOf(policies.values()),
          policyRemovals.keySet());
    }
  }
}
