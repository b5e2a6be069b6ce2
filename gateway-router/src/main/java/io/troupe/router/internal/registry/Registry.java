package io.troupe.router.internal.registry;

import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.router.ClientIdLimits;
import io.troupe.router.GatewayRouter;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway must keep: identities, the client ids bound to them, communities, their services
 * and servers. Mutable and not thread-safe: {@link GatewayRouter} guards it. Its collections are
 * read through unmodifiable views and changed only through its methods, so that the index of who
 * serves what stays true. {@link #toState} and {@link #fromState} move it to and from the store
 * (see {@link RegistryRecords}).
 */
public final class Registry {

  /** Kept per service by routing between decisions; opaque to the registry. */
  public interface RoutingMemo {}

  private final Map<String, IdentityRecord> identities = new LinkedHashMap<>();
  private final Map<String, KeyRecord> keys = new LinkedHashMap<>();

  /**
   * Each identity's key generation, kept beside {@link #identities} so that the CoAP bridge's DTLS
   * handshakes read it from any thread without the routing lock.
   */
  private final Map<String, Integer> keyGenerations = new ConcurrentHashMap<>();

  private final Map<String, Community> communities = new LinkedHashMap<>();
  private final Map<String, Service> byAddress = new HashMap<>();
  private final ClientIds clientIds;
  private long revision;

  /** The services each identity serves: what the per-identity limit counts, without a scan. */
  private final Map<String, Set<Service>> serving = new HashMap<>();

  public Registry() {
    this(ClientIdLimits.defaults());
  }

  public Registry(final ClientIdLimits clientIdLimits) {
    this.clientIds = new ClientIds(clientIdLimits, identities::containsKey);
  }

  /** The identities by name; a view. */
  public Map<String, IdentityRecord> identities() {
    return Collections.unmodifiableMap(identities);
  }

  /** Adds or replaces the identity named by {@code record}. */
  public void putIdentity(final IdentityRecord record) {
    identities.put(record.getName(), record);
    keyGenerations.put(record.getName(), record.getKeyGeneration());
  }

  /** Removes the identity {@code name}; whether it existed. */
  public boolean removeIdentity(final String name) {
    keyGenerations.remove(name);
    return identities.remove(name) != null;
  }

  /** The keys (R14) by id; a view. */
  public Map<String, KeyRecord> keys() {
    return Collections.unmodifiableMap(keys);
  }

  /** Forgets key {@code keyId}. */
  public void removeKey(final String keyId) {
    keys.remove(keyId);
  }

  /** Adds or replaces the key named by {@code record}. */
  public void putKey(final KeyRecord record) {
    keys.put(record.getKeyId(), record);
  }

  /**
   * The key generation of {@code identity}; empty when there is no such identity. Safe from any
   * thread without a lock: it may lag a change being made by a few microseconds.
   */
  public OptionalInt keyGeneration(final String identity) {
    final Integer generation = keyGenerations.get(identity);
    return generation == null ? OptionalInt.empty() : OptionalInt.of(generation);
  }

  public ClientIds clientIds() {
    return clientIds;
  }

  /** The communities by name; a view. */
  public Map<String, Community> communities() {
    return Collections.unmodifiableMap(communities);
  }

  /** Adds {@code community} with the services it already has. */
  public void addCommunity(final Community community) {
    communities.put(community.name(), community);
    community.services().values().forEach(this::addService);
  }

  /** The service at {@code address} (any of its names, see {@link Naming}), or null. */
  public Service serviceAt(final String address) {
    return byAddress.get(address);
  }

  /** Whether some service answers at {@code address}. */
  boolean isAddressTaken(final String address) {
    return byAddress.containsKey(address);
  }

  public Optional<Service> service(final String community, final String service) {
    final Community c = communities.get(community);
    return c == null ? Optional.empty() : Optional.ofNullable(c.services().get(service));
  }

  public void addService(final Service service) {
    service.community().putService(service);
    Naming.addresses(service).forEach(a -> byAddress.put(a, service));
    service.serverMap().keySet().forEach(d -> index(d).add(service));
  }

  void removeService(final Service service) {
    service.community().dropService(service);
    Naming.addresses(service).forEach(byAddress::remove);
    service.serverMap().keySet().forEach(d -> unindex(d, service));
  }

  public void addServer(final Service service, final ServerEntry entry) {
    service.community().registrationsChanged();
    service.serverMap().put(entry.device(), entry);
    index(entry.device()).add(service);
  }

  /** Removes {@code device} as a server of {@code service}; the entry it had, or null. */
  ServerEntry removeServer(final Service service, final String device) {
    service.community().registrationsChanged();
    final ServerEntry removed = service.serverMap().remove(device);
    if (removed != null) {
      unindex(device, service);
    }
    return removed;
  }

  /** Forgets every community and service, as before loading them again. */
  void clearCommunities() {
    communities.clear();
    byAddress.clear();
    serving.clear();
  }

  /** Takes {@code saved}'s identities, communities, bindings and revision in place of its own. */
  void restore(final Registry saved) {
    identities.clear();
    identities.putAll(saved.identities);
    keys.clear();
    keys.putAll(saved.keys);
    keyGenerations.keySet().retainAll(saved.identities.keySet());
    keyGenerations.putAll(saved.keyGenerations);
    clearCommunities();
    saved.communities.values().forEach(this::addCommunity);
    clientIds.load(saved.clientIds.toRecords());
    revision = saved.revision;
  }

  private Set<Service> index(final String device) {
    return serving.computeIfAbsent(device, d -> new HashSet<>());
  }

  private void unindex(final String device, final Service service) {
    final Set<Service> of = serving.get(device);
    if (of != null) {
      of.remove(service);
      if (of.isEmpty()) {
        serving.remove(device);
      }
    }
  }

  /** Removes a community and its services. */
  void removeCommunity(final Community community) {
    for (final Service s : List.copyOf(community.services().values())) {
      removeService(s);
    }
    communities.remove(community.name());
  }

  /** How many communities {@code identity} owns. */
  public long ownedBy(final String identity) {
    return communities.values().stream().filter(c -> c.owner().equals(identity)).count();
  }

  /** The services {@code identity} serves, in no particular order. */
  public Set<Service> servicesOf(final String identity) {
    final Set<Service> of = serving.get(identity);
    return of == null ? Set.of() : Set.copyOf(of);
  }

  /**
   * {@link #servicesOf} without a copy, for a hot path: to read at once, under the router's lock,
   * and never to change.
   */
  public Set<Service> servingView(final String identity) {
    final Set<Service> of = serving.get(identity);
    return of == null ? Set.of() : Collections.unmodifiableSet(of);
  }

  /** How many services {@code identity} is a server of. */
  public long servedBy(final String identity) {
    final Set<Service> of = serving.get(identity);
    return of == null ? 0 : of.size();
  }

  /** The revision of the state last saved or loaded. */
  long revision() {
    return revision;
  }

  /** The next save's revision: one past the last. */
  long nextRevision() {
    return ++revision;
  }

  void setRevision(final long revision) {
    this.revision = revision;
  }

  public GatewayState toState() {
    return RegistryRecords.toState(this);
  }

  public static Registry fromState(final GatewayState state) {
    return fromState(state, ClientIdLimits.defaults());
  }

  public static Registry fromState(final GatewayState state, final ClientIdLimits clientIdLimits) {
    return RegistryRecords.fromState(state, clientIdLimits);
  }
}
