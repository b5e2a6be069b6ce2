package io.troupe.router.internal.registry;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.ServerRecord;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.router.ClientIdLimits;
import io.troupe.router.GatewayRouter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway must keep: identities, the client ids bound to them, communities, their services
 * and servers. Mutable and not thread-safe: {@link GatewayRouter} guards it. {@link #toState} and
 * {@link #fromState} move it to and from the store.
 */
public final class Registry {

  /** Kept per service by routing between decisions; opaque to the registry. */
  public interface RoutingMemo {}

  public static final class Community {
    public final String name;
    public final String domain;
    public String owner;
    public final Set<String> allowed;
    public boolean open;

    /** The least anonymity of its services (R15). */
    public Anonymity anonymity = Anonymity.NAMED;

    public final Set<String> members = new LinkedHashSet<>();
    public final Map<String, Service> services = new LinkedHashMap<>();

    /**
     * Counts the changes to its services' registrations (servers, roles, enabled flags, rules): a
     * {@code ServerRanking} built at another epoch is out of date.
     */
    public long epoch;

    public Community(
        final String name, final String domain, final String owner, final Set<String> allowed) {
      this.name = name;
      this.domain = domain;
      this.owner = owner;
      this.allowed = new LinkedHashSet<>(allowed);
    }

    /** Whether {@code identity} may join: the community is open, or lists it, or it owns it. */
    public boolean admits(final String identity) {
      return open || allowed.contains(identity) || owner.equals(identity);
    }
  }

  public static final class Service {
    public final Community community;
    public final String name;
    public final String address;
    public DistributionRule rule;
    public final Map<String, ServerEntry> servers = new LinkedHashMap<>();

    /** Its descriptor: the last that took effect, see {@link Descriptors}. */
    public ServiceDescriptor descriptor;

    /** The last descriptor the community's owner published for it, see {@link Descriptors}. */
    ServiceDescriptor ownerDescriptor;

    ByteString pseudonymSalt = Disclosure.newSalt();

    /** Roles assigned in advance to identities that do not serve it yet (R1). */
    public final Map<String, ServerRole> assigned = new LinkedHashMap<>();

    /**
     * What routing keeps of it between decisions (its servers in the rule's order, built at the
     * first decision); the registry only holds it.
     */
    public RoutingMemo ranking;

    /** When the current one-second window of published distribution lists began. */
    public long listWindowMs;

    /** How many lists went out at once in that window; past the limit they wait for the tick. */
    public int listsInWindow;

    public Service(
        final Community community,
        final String name,
        final String address,
        final DistributionRule rule) {
      this.community = community;
      this.name = name;
      this.address = address;
      this.rule = rule;
    }
  }

  public static final class ServerEntry {
    public final String device;
    public ServerRole role;
    public boolean enabled;
    final long registeredAtMs;

    /** The anonymity the server asked for itself (R15). */
    public Anonymity anonymity = Anonymity.NAMED;

    public ServerEntry(
        final String device,
        final ServerRole role,
        final boolean enabled,
        final long registeredAtMs) {
      this.device = device;
      this.role = role;
      this.enabled = enabled;
      this.registeredAtMs = registeredAtMs;
    }
  }

  public final Map<String, IdentityRecord> identities = new LinkedHashMap<>();
  public final Map<String, Community> communities = new LinkedHashMap<>();
  public final Map<String, Service> byAddress = new HashMap<>();
  public final ClientIds clientIds;
  long revision;

  public Registry() {
    this(ClientIdLimits.defaults());
  }

  public Registry(final ClientIdLimits clientIdLimits) {
    this.clientIds = new ClientIds(clientIdLimits, identities::containsKey);
  }

  public Optional<Service> service(final String community, final String service) {
    final Community c = communities.get(community);
    return c == null ? Optional.empty() : Optional.ofNullable(c.services.get(service));
  }

  /** The services each identity serves: what the per-identity limit counts, without a scan. */
  private final Map<String, Set<Service>> serving = new HashMap<>();

  public void addService(final Service service) {
    service.community.services.put(service.name, service);
    Naming.addresses(service).forEach(a -> byAddress.put(a, service));
    service.servers.keySet().forEach(d -> index(d).add(service));
  }

  void removeService(final Service service) {
    service.community.services.remove(service.name);
    Naming.addresses(service).forEach(byAddress::remove);
    service.servers.keySet().forEach(d -> unindex(d, service));
  }

  public void addServer(final Service service, final ServerEntry entry) {
    service.community.epoch++;
    service.servers.put(entry.device, entry);
    index(entry.device).add(service);
  }

  /** Removes {@code device} as a server of {@code service}; the entry it had, or null. */
  ServerEntry removeServer(final Service service, final String device) {
    service.community.epoch++;
    final ServerEntry removed = service.servers.remove(device);
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

  private Set<Service> index(final String device) {
    return serving.computeIfAbsent(device, d -> new java.util.HashSet<>());
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
    for (final Service s : java.util.List.copyOf(community.services.values())) {
      removeService(s);
    }
    communities.remove(community.name);
  }

  /** How many communities {@code identity} owns. */
  public long ownedBy(final String identity) {
    return communities.values().stream().filter(c -> c.owner.equals(identity)).count();
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
    return of == null ? Set.of() : of;
  }

  /** How many services {@code identity} is a server of. */
  public long servedBy(final String identity) {
    final Set<Service> of = serving.get(identity);
    return of == null ? 0 : of.size();
  }

  public GatewayState toState() {
    final GatewayState.Builder state = GatewayState.newBuilder().setRevision(revision);
    state.addAllIdentities(identities.values());
    state.addAllClientIds(clientIds.toRecords());
    for (final Community c : communities.values()) {
      final CommunityRecord.Builder cr = row(c).toBuilder();
      for (final Service s : c.services.values()) {
        cr.addServices(row(s));
      }
      state.addCommunities(cr);
    }
    return state.build();
  }

  /** A community's row: everything of it but its services. */
  static CommunityRecord row(final Community c) {
    return CommunityRecord.newBuilder()
        .setName(c.name)
        .setDomain(c.domain)
        .setOwner(c.owner)
        .setOpen(c.open)
        .setAnonymity(c.anonymity)
        .addAllAllowed(c.allowed)
        .addAllMembers(c.members)
        .build();
  }

  /** A service's row, naming its community. */
  static ServiceRecord row(final Service s) {
    final ServiceRecord.Builder sr =
        ServiceRecord.newBuilder()
            .setName(s.name)
            .setAddress(s.address)
            .setRule(s.rule)
            .setCommunity(s.community.name)
            .setPseudonymSalt(s.pseudonymSalt);
    if (s.descriptor != null) {
      sr.setServiceDescriptor(s.descriptor);
    }
    if (s.ownerDescriptor != null) {
      sr.setOwnerServiceDescriptor(s.ownerDescriptor);
    }
    for (final ServerEntry e : s.servers.values()) {
      sr.addServers(
          ServerRecord.newBuilder()
              .setDevice(e.device)
              .setRole(e.role)
              .setEnabled(e.enabled)
              .setRegisteredAtMs(e.registeredAtMs)
              .setAnonymity(e.anonymity));
    }
    s.assigned.forEach(
        (device, role) ->
            sr.addAssigned(ServerRecord.newBuilder().setDevice(device).setRole(role)));
    return sr.build();
  }

  /**
   * The owner's last descriptor as saved; a home saved before it was kept apart counts the
   * service's descriptor as the owner's when it names the owner or no device.
   */
  private static ServiceDescriptor ownerDescriptor(final ServiceRecord sr, final String owner) {
    if (sr.hasOwnerServiceDescriptor()) {
      return sr.getOwnerServiceDescriptor();
    }
    if (!sr.hasServiceDescriptor()) {
      return null;
    }
    final String device = sr.getServiceDescriptor().getDeviceId();
    return device.isEmpty() || device.equals(owner) ? sr.getServiceDescriptor() : null;
  }

  public static Registry fromState(final GatewayState state) {
    return fromState(state, ClientIdLimits.defaults());
  }

  public static Registry fromState(final GatewayState state, final ClientIdLimits clientIdLimits) {
    final Registry registry = new Registry(clientIdLimits);
    registry.revision = state.getRevision();
    for (final IdentityRecord identity : state.getIdentitiesList()) {
      registry.identities.put(identity.getName(), identity);
    }
    registry.clientIds.load(state.getClientIdsList());
    for (final CommunityRecord cr : state.getCommunitiesList()) {
      final Community c =
          new Community(
              cr.getName(),
              cr.getDomain(),
              cr.getOwner(),
              new LinkedHashSet<>(cr.getAllowedList()));
      c.open = cr.getOpen();
      c.anonymity = Disclosure.known(cr.getAnonymity());
      c.members.addAll(cr.getMembersList());
      registry.communities.put(c.name, c);
      for (final ServiceRecord sr : cr.getServicesList()) {
        final Service s = new Service(c, sr.getName(), sr.getAddress(), sr.getRule());
        if (sr.hasServiceDescriptor()) {
          s.descriptor = sr.getServiceDescriptor();
        }
        s.ownerDescriptor = ownerDescriptor(sr, c.owner);
        if (!sr.getPseudonymSalt().isEmpty()) {
          s.pseudonymSalt = sr.getPseudonymSalt();
        }
        for (final ServerRecord e : sr.getServersList()) {
          final ServerEntry entry =
              new ServerEntry(e.getDevice(), e.getRole(), e.getEnabled(), e.getRegisteredAtMs());
          entry.anonymity = Disclosure.known(e.getAnonymity());
          s.servers.put(e.getDevice(), entry);
        }
        sr.getAssignedList().forEach(a -> s.assigned.put(a.getDevice(), a.getRole()));
        registry.addService(s);
      }
    }
    return registry;
  }
}
