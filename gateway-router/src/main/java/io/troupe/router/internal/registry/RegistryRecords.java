package io.troupe.router.internal.registry;

import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.ServerRecord;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.router.ClientIdLimits;
import java.util.LinkedHashSet;

/** Moves a {@link Registry} to and from the store's {@link GatewayState}, row by row. */
final class RegistryRecords {

  private RegistryRecords() {}

  static GatewayState toState(final Registry registry) {
    final GatewayState.Builder state = GatewayState.newBuilder().setRevision(registry.revision());
    state.addAllIdentities(registry.identities().values());
    state.addAllClientIds(registry.clientIds().toRecords());
    state.addAllKeys(registry.keys().values());
    for (final Community c : registry.communities().values()) {
      final CommunityRecord.Builder cr = row(c).toBuilder();
      for (final Service s : c.services().values()) {
        cr.addServices(row(s));
      }
      state.addCommunities(cr);
    }
    return state.build();
  }

  /** A community's row: everything of it but its services. */
  static CommunityRecord row(final Community c) {
    return CommunityRecord.newBuilder()
        .setName(c.name())
        .setDomain(c.domain())
        .setOwner(c.owner())
        .setOpen(c.isOpen())
        .setAnonymity(c.anonymity())
        .setGroup(c.group())
        .addAllGroupMembers(c.groupMembers())
        .addAllAllowed(c.allowed())
        .addAllMembers(c.members())
        .build();
  }

  /** A service's row, naming its community. */
  static ServiceRecord row(final Service s) {
    final ServiceRecord.Builder sr =
        ServiceRecord.newBuilder()
            .setName(s.name())
            .setAddress(s.address())
            .setRule(s.rule())
            .setCommunity(s.community().name())
            .setPseudonymSalt(s.pseudonymSalt());
    if (s.descriptor() != null) {
      sr.setServiceDescriptor(s.descriptor());
    }
    if (s.ownerDescriptor() != null) {
      sr.setOwnerServiceDescriptor(s.ownerDescriptor());
    }
    for (final ServerEntry e : s.servers().values()) {
      sr.addServers(
          ServerRecord.newBuilder()
              .setDevice(e.device())
              .setRole(e.role())
              .setEnabled(e.isEnabled())
              .setRegisteredAtMs(e.registeredAtMs())
              .setAnonymity(e.anonymity()));
    }
    s.assigned()
        .forEach(
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

  static Registry fromState(final GatewayState state, final ClientIdLimits clientIdLimits) {
    final Registry registry = new Registry(clientIdLimits);
    registry.setRevision(state.getRevision());
    for (final IdentityRecord identity : state.getIdentitiesList()) {
      registry.putIdentity(identity);
    }
    registry.clientIds().load(state.getClientIdsList());
    state.getKeysList().forEach(registry::putKey);
    for (final CommunityRecord cr : state.getCommunitiesList()) {
      final Community c =
          new Community(
              cr.getName(),
              cr.getDomain(),
              cr.getOwner(),
              new LinkedHashSet<>(cr.getAllowedList()));
      c.setOpen(cr.getOpen());
      c.setAnonymity(Disclosure.known(cr.getAnonymity()));
      c.setGroup(cr.getGroup());
      c.groupMembers().addAll(cr.getGroupMembersList());
      cr.getMembersList().forEach(c::addMember);
      registry.addCommunity(c);
      for (final ServiceRecord sr : cr.getServicesList()) {
        registry.addService(service(c, sr));
      }
    }
    return registry;
  }

  /** The service {@code sr} saved, with its servers, in {@code c}. */
  private static Service service(final Community c, final ServiceRecord sr) {
    final Service s = new Service(c, sr.getName(), sr.getAddress(), sr.getRule());
    s.loadDescriptors(
        sr.hasServiceDescriptor() ? sr.getServiceDescriptor() : null,
        ownerDescriptor(sr, c.owner()));
    if (!sr.getPseudonymSalt().isEmpty()) {
      s.loadPseudonymSalt(sr.getPseudonymSalt());
    }
    for (final ServerRecord e : sr.getServersList()) {
      final ServerEntry entry =
          new ServerEntry(e.getDevice(), e.getRole(), e.getEnabled(), e.getRegisteredAtMs());
      entry.setAnonymity(Disclosure.known(e.getAnonymity()));
      s.serverMap().put(e.getDevice(), entry);
    }
    sr.getAssignedList().forEach(a -> s.assign(java.util.Map.of(a.getDevice(), a.getRole())));
    return s;
  }
}
