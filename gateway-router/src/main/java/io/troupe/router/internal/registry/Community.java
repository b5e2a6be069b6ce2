package io.troupe.router.internal.registry;

import io.troupe.proto.v1.Anonymity;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A community of the {@link Registry}: its owner, who may join and who has, and its services by
 * name. Not thread-safe: the router's lock guards it, as it guards the registry. Its services are
 * added and removed through the registry, which keeps its index of them.
 */
public final class Community {
  private final String name;
  private final String domain;
  private String owner;
  private final Set<String> allowed;
  private boolean open;

  /** The least anonymity of its services (R15). */
  private Anonymity anonymity = Anonymity.NAMED;

  /** The directory group it is formed from (R16); empty when none. */
  private String group = "";

  /** The members the group gave it at its last successful refresh (each also in allowed). */
  private final Set<String> groupMembers = new LinkedHashSet<>();

  /** What the last refresh of the group found (R16); not saved: the next refresh says it again. */
  private String groupStatus = "";

  private final Set<String> members = new LinkedHashSet<>();
  private final Map<String, Service> services = new LinkedHashMap<>();

  /**
   * Counts the changes to its services' registrations (servers, roles, enabled flags, rules): a
   * {@code ServerRanking} built at another epoch is out of date.
   */
  private long epoch;

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

  public String name() {
    return name;
  }

  public String domain() {
    return domain;
  }

  public String owner() {
    return owner;
  }

  /** Gives the community to {@code identity}, as when its owner is removed. */
  public void handTo(final String identity) {
    owner = identity;
  }

  /** The identities it lets join while it is closed; a view. */
  public Set<String> allowed() {
    return Collections.unmodifiableSet(allowed);
  }

  /** From now on it lets join while closed exactly {@code identities}. */
  public void allowOnly(final Collection<String> identities) {
    allowed.clear();
    allowed.addAll(identities);
  }

  /** {@code identity} may join while it is closed. */
  public void allow(final String identity) {
    allowed.add(identity);
  }

  /** {@code identity} may no longer join while it is closed. */
  public void disallow(final String identity) {
    allowed.remove(identity);
  }

  public boolean isOpen() {
    return open;
  }

  public void setOpen(final boolean open) {
    this.open = open;
  }

  /** The directory group the community is formed from (R16); empty when none. */
  public String group() {
    return group;
  }

  public void setGroup(final String group) {
    this.group = group;
  }

  /** The members the group gave it at its last successful refresh (R16); a live view. */
  public Set<String> groupMembers() {
    return groupMembers;
  }

  /** What the last read of its group found, or why it failed; empty before the first. */
  public String groupStatus() {
    return groupStatus;
  }

  public void setGroupStatus(final String status) {
    this.groupStatus = status;
  }

  public Anonymity anonymity() {
    return anonymity;
  }

  public void setAnonymity(final Anonymity anonymity) {
    this.anonymity = anonymity;
  }

  /** Its members; a view. */
  public Set<String> members() {
    return Collections.unmodifiableSet(members);
  }

  /** Adds {@code identity} to its members; whether it was not one already. */
  public boolean addMember(final String identity) {
    return members.add(identity);
  }

  /** Removes {@code identity} from its members; whether it was one. */
  public boolean removeMember(final String identity) {
    return members.remove(identity);
  }

  /** Its services by name, in the order they were added; a view. */
  public Map<String, Service> services() {
    return Collections.unmodifiableMap(services);
  }

  /** Adds {@code service} under its name: for the {@link Registry}, which indexes it. */
  void putService(final Service service) {
    services.put(service.name(), service);
  }

  void dropService(final Service service) {
    services.remove(service.name());
  }

  public long epoch() {
    return epoch;
  }

  /** Its services' registrations changed: rankings built before are out of date. */
  public void registrationsChanged() {
    epoch++;
  }
}
