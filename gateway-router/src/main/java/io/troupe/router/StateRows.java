package io.troupe.router;

import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.router.StateChange.PolicyKey;
import io.troupe.router.StateChange.ServiceKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** How a {@link StateChange} applies to a whole state, and the change between two states. */
final class StateRows {

  private StateRows() {}

  /** {@code state} with {@code change} applied: see {@link StateChange#applyTo}. */
  static GatewayState apply(final StateChange change, final GatewayState state) {
    final Map<String, CommunityRecord> cs = new LinkedHashMap<>();
    final Map<ServiceKey, ServiceRecord> ss = new LinkedHashMap<>();
    rows(state, cs, ss);
    change.removedCommunities().forEach(cs::remove);
    change.communities().forEach(c -> cs.put(c.getName(), c));
    change.removedServices().forEach(ss::remove);
    change.services().forEach(s -> ss.put(new ServiceKey(s.getCommunity(), s.getName()), s));

    final GatewayState.Builder out =
        state.toBuilder()
            .clearIdentities()
            .addAllIdentities(
                applied(
                    state.getIdentitiesList(),
                    IdentityRecord::getName,
                    change.removedIdentities(),
                    change.identities()))
            .clearCommunities()
            .clearClientIds()
            .addAllClientIds(
                applied(
                    state.getClientIdsList(),
                    ClientBinding::getClientId,
                    change.removedClientIds(),
                    change.clientIds()))
            .clearKeys()
            .addAllKeys(
                applied(
                    state.getKeysList(), KeyRecord::getKeyId, change.removedKeys(), change.keys()))
            .clearPolicies()
            .addAllPolicies(
                applied(
                    state.getPoliciesList(),
                    PolicyKey::of,
                    change.removedPolicies(),
                    change.policies()));
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

  /** The change that turns {@code before} into {@code after}: see {@link StateChange#between}. */
  static StateChange between(final GatewayState before, final GatewayState after) {
    final StateChange.Builder change = StateChange.builder();
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
}
