package io.troupe.router;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.PolicyScope;
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
    return StateRows.apply(this, state);
  }

  /** The change that turns {@code before} into {@code after}, row by row. */
  public static StateChange between(final GatewayState before, final GatewayState after) {
    return StateRows.between(before, after);
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
