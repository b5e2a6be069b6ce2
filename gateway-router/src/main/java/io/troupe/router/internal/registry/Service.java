package io.troupe.router.internal.registry;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A service of a {@link Community}: its address, its distribution rule, its servers by device, its
 * descriptor. Not thread-safe: the router's lock guards it. Servers are added and removed through
 * the {@link Registry}, which indexes who serves what.
 */
public final class Service {
  private final Community community;
  private final String name;
  private final String address;
  private DistributionRule rule;
  private final Map<String, ServerEntry> servers = new LinkedHashMap<>();

  /** Its descriptor: the last that took effect, see {@link Descriptors}. */
  private ServiceDescriptor descriptor;

  /** The last descriptor the community's owner published for it, see {@link Descriptors}. */
  private ServiceDescriptor ownerDescriptor;

  private ByteString pseudonymSalt = Disclosure.newSalt();

  /**
   * Each server's last synchronised descriptor (R4): which items, and which content, it holds. In
   * memory only: a server publishes its descriptor again when it connects.
   */
  private final Map<String, ServiceDescriptor> reported = new HashMap<>();

  /** Roles assigned in advance to identities that do not serve it yet (R1). */
  private final Map<String, ServerRole> assigned = new LinkedHashMap<>();

  /** The distribution list last built, without its version, and that version. */
  private DistributionList listContent;

  private long listVersion;

  /**
   * What routing keeps of it between decisions (its servers in the rule's order, built at the first
   * decision); the registry only holds it.
   */
  private Registry.RoutingMemo ranking;

  /** When the current one-second window of published distribution lists began. */
  private long listWindowMs;

  /** How many lists went out at once in that window; past the limit they wait for the tick. */
  private int listsInWindow;

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

  public Community community() {
    return community;
  }

  public String name() {
    return name;
  }

  public String address() {
    return address;
  }

  public DistributionRule rule() {
    return rule;
  }

  /** Routes its requests by {@code rule} from now on. */
  public void changeRule(final DistributionRule rule) {
    this.rule = rule;
  }

  /** Its servers by device, in the order they registered; a view. */
  public Map<String, ServerEntry> servers() {
    return Collections.unmodifiableMap(servers);
  }

  /** Its servers, to be changed by the {@link Registry} only. */
  Map<String, ServerEntry> serverMap() {
    return servers;
  }

  /** Its descriptor, or null when none took effect. */
  public ServiceDescriptor descriptor() {
    return descriptor;
  }

  ServiceDescriptor ownerDescriptor() {
    return ownerDescriptor;
  }

  /** {@code kept} takes effect; it is the owner's last one too when {@code byOwner}. */
  void describeAs(final ServiceDescriptor kept, final boolean byOwner) {
    descriptor = kept;
    if (byOwner) {
      ownerDescriptor = kept;
    }
  }

  /** Loads the descriptors saved for it. */
  void loadDescriptors(final ServiceDescriptor descriptor, final ServiceDescriptor byOwner) {
    this.descriptor = descriptor;
    this.ownerDescriptor = byOwner;
  }

  /** {@code device}'s last synchronised descriptor, or null when it reported none. */
  public ServiceDescriptor reportedBy(final String device) {
    return reported.get(device);
  }

  /** The last synchronised descriptor of each server that reported one; a view. */
  public Map<String, ServiceDescriptor> reported() {
    return Collections.unmodifiableMap(reported);
  }

  void keepReported(final String device, final ServiceDescriptor d) {
    reported.put(device, d);
  }

  void forgetReported(final String device) {
    reported.remove(device);
  }

  ByteString pseudonymSalt() {
    return pseudonymSalt;
  }

  void loadPseudonymSalt(final ByteString salt) {
    pseudonymSalt = salt;
  }

  /** The roles assigned in advance, by identity; a view. */
  public Map<String, ServerRole> assigned() {
    return Collections.unmodifiableMap(assigned);
  }

  /** Assigns each identity in {@code roles} its role in advance. */
  public void assign(final Map<String, ServerRole> roles) {
    assigned.putAll(roles);
  }

  /** Drops the role assigned in advance to {@code device}; the role it had, or null. */
  public ServerRole unassign(final String device) {
    return assigned.remove(device);
  }

  /** Drops the roles assigned in advance to identities that match {@code gone}; whether any was. */
  public boolean unassignIf(final Predicate<String> gone) {
    return assigned.keySet().removeIf(gone);
  }

  /** Every primary role assigned in advance becomes secondary: a new primary is being assigned. */
  public void demoteAssignedPrimaries() {
    assigned.replaceAll((d, r) -> r == ServerRole.PRIMARY ? ServerRole.SECONDARY : r);
  }

  /** What routing kept of it, or null before the first decision. */
  public Registry.RoutingMemo ranking() {
    return ranking;
  }

  public void keepRanking(final Registry.RoutingMemo ranking) {
    this.ranking = ranking;
  }

  /**
   * Whether its distribution list may go out at once at {@code nowMs}: fewer than {@code atOnce}
   * went out in the current window of {@code windowMs}; counts the one that goes.
   */
  public boolean takeListSlot(final long nowMs, final long windowMs, final int atOnce) {
    if (nowMs - listWindowMs >= windowMs || nowMs < listWindowMs) {
      listWindowMs = nowMs;
      listsInWindow = 0;
    }
    if (listsInWindow < atOnce) {
      listsInWindow++;
      return true;
    }
    return false;
  }

  /**
   * The version of its distribution list {@code unversioned} (the list without its version) at
   * {@code nowMs}: the same as before while the list is the same, otherwise one more than before
   * and at least {@code nowMs}. Taking the clock makes versions keep increasing across a restart
   * without a write per change: a service publishes a few lists a second at most, so its version
   * never runs ahead of the clock by more than a few milliseconds, and a restart takes seconds.
   */
  public long listVersion(final DistributionList unversioned, final long nowMs) {
    if (!unversioned.equals(listContent)) {
      listContent = unversioned;
      listVersion = Math.max(listVersion + 1, nowMs);
    }
    return listVersion;
  }
}
