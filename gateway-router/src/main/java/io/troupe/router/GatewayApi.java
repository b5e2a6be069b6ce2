package io.troupe.router;

import io.troupe.contract.Names;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.BrowseResult;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LeaveCommunity;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.Registration;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.SetServiceEnabled;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The operations of {@code {root}/gw/api} on the registry. Not thread-safe: {@link GatewayRouter}
 * calls it under its lock. Every operation validates all of its input before it changes anything.
 */
final class GatewayApi {

  /** What an operation did: the response, and the services whose distribution list changed. */
  record Outcome(GatewayResponse response, boolean changed, List<Registry.Service> touched) {}

  private final Registry registry;
  private final LongSupplier nowMs;
  private final Passwords passwords;

  GatewayApi(final Registry registry, final LongSupplier nowMs, final Passwords passwords) {
    this.registry = registry;
    this.nowMs = nowMs;
    this.passwords = passwords;
  }

  Outcome handle(final Principal who, final GatewayRequest request) {
    return switch (request.getOperationCase()) {
      case CREATE_COMMUNITY -> createCommunity(who, request.getCreateCommunity());
      case JOIN_COMMUNITY -> joinCommunity(who, request.getJoinCommunity());
      case LEAVE_COMMUNITY -> leaveCommunity(who, request.getLeaveCommunity());
      case REGISTER_SERVICE -> registerService(who, request.getRegisterService());
      case DEREGISTER_SERVICE -> deregisterService(who, request.getDeregisterService());
      case SET_SERVICE_ENABLED -> setEnabled(who, request.getSetServiceEnabled());
      case BROWSE_SERVICES -> browse(who, request.getBrowseServices().getCommunity());
      case ADD_IDENTITY -> addIdentity(who, request.getAddIdentity());
      case REMOVE_IDENTITY -> removeIdentity(who, request.getRemoveIdentity().getName());
      case OPERATION_NOT_SET -> fail(Status.BAD_REQUEST, "the request names no operation");
      default ->
          fail(
              Status.NOT_IMPLEMENTED,
              "operation " + request.getOperationCase() + " is not implemented in this version");
    };
  }

  private Outcome createCommunity(final Principal who, final CreateCommunity op) {
    if (!mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities create communities");
    }
    if (!Names.isLabel(op.getName())) {
      return fail(Status.BAD_REQUEST, badLabel("community", op.getName()));
    }
    for (final String member : op.getMembersList()) {
      if (!Names.isLabel(member)) {
        return fail(Status.BAD_REQUEST, badLabel("member identity", member));
      }
    }
    final Registry.Community existing = registry.communities.get(op.getName());
    if (existing != null) {
      if (existing.owner.equals(who.identity())) {
        return ok(Status.OK, communityInfo(existing, true));
      }
      return fail(Status.CONFLICT, "community '" + op.getName() + "' exists");
    }
    final Registry.Community created = create(who, op.getName(), op.getMembersList());
    return changed(Status.CREATED, communityInfo(created, true), List.of());
  }

  private Outcome joinCommunity(final Principal who, final JoinCommunity op) {
    if (!mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities join communities");
    }
    if (!Names.isLabel(op.getCommunity())) {
      return fail(Status.BAD_REQUEST, badLabel("community", op.getCommunity()));
    }
    final Registry.Community community = registry.communities.get(op.getCommunity());
    if (community == null) {
      if (!op.getCreateIfAbsent()) {
        return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
      }
      final Registry.Community created = create(who, op.getCommunity(), List.of());
      return changed(Status.CREATED, communityInfo(created, true), List.of());
    }
    if (!community.admits(who.identity())) {
      return fail(
          Status.FORBIDDEN,
          "'" + who.identity() + "' is not on the member list of '" + community.name + "'");
    }
    final boolean added = community.members.add(who.identity());
    final GatewayResponse response =
        response(Status.OK, communityInfo(community, isOwner(who, community)));
    return new Outcome(response, added, List.of());
  }

  private Outcome leaveCommunity(final Principal who, final LeaveCommunity op) {
    final Registry.Community community = registry.communities.get(op.getCommunity());
    if (community == null || !community.members.contains(who.identity())) {
      return fail(
          Status.NOT_FOUND,
          "'" + who.identity() + "' is not a member of '" + op.getCommunity() + "'");
    }
    community.members.remove(who.identity());
    final List<Registry.Service> touched = new ArrayList<>();
    for (final Registry.Service service : community.services.values()) {
      if (removeServer(service, who.identity())) {
        touched.add(service);
      }
    }
    return changed(Status.OK, null, touched);
  }

  private Outcome registerService(final Principal who, final RegisterService op) {
    if (!mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities serve");
    }
    if (!Names.isLabel(op.getService())) {
      return fail(Status.BAD_REQUEST, badLabel("service", op.getService()));
    }
    final Registry.Community community = registry.communities.get(op.getCommunity());
    if (community == null) {
      return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
    }
    if (!community.members.contains(who.identity())) {
      return fail(
          Status.FORBIDDEN, "'" + who.identity() + "' has not joined '" + community.name + "'");
    }
    final DistributionRule rule = op.getRule();
    if (rule.getNaming() != NamingMode.NAMING_MODE_UNSPECIFIED
        && rule.getNaming() != NamingMode.DOMAIN) {
      return fail(
          Status.NOT_IMPLEMENTED,
          "naming mode " + rule.getNaming() + " is not implemented in this version");
    }
    if (!rule.getRedirectTo().isEmpty() || rule.getOrder() == RequestOrder.LEAST_LOADED) {
      return fail(
          Status.NOT_IMPLEMENTED,
          "redirects and least-loaded order are not implemented in this version");
    }
    if (op.hasServiceDescriptor()
        && !op.getServiceDescriptor().getService().isEmpty()
        && !op.getServiceDescriptor().getService().equals(op.getService())) {
      return fail(
          Status.BAD_REQUEST,
          "the descriptor describes '"
              + op.getServiceDescriptor().getService()
              + "', not '"
              + op.getService()
              + "'");
    }
    final boolean createdDomain = community.services.isEmpty();
    Registry.Service service = community.services.get(op.getService());
    final boolean createdService = service == null;
    if (createdService) {
      service =
          new Registry.Service(
              community,
              op.getService(),
              op.getService() + "." + community.domain,
              withDefaults(rule));
      registry.addService(service);
    }
    Registry.ServerEntry entry = service.servers.get(who.identity());
    boolean changed = createdService;
    if (entry == null) {
      final ServerRole role =
          op.getPassive()
              ? ServerRole.PASSIVE
              : hasActiveServer(service) ? ServerRole.SECONDARY : ServerRole.PRIMARY;
      entry = new Registry.ServerEntry(who.identity(), role, true, nowMs.getAsLong());
      service.servers.put(who.identity(), entry);
      changed = true;
    }
    if (op.hasServiceDescriptor() && isNewer(op.getServiceDescriptor().getVersion(), service)) {
      service.descriptor =
          op.getServiceDescriptor().toBuilder()
              .setService(service.name)
              .setCommunity(community.name)
              .build();
      changed = true;
    }
    final Registration registration =
        Registration.newBuilder()
            .setAddress(service.address)
            .setRole(entry.role)
            .setCreatedService(createdService)
            .setCreatedDomain(createdService && createdDomain)
            .build();
    final GatewayResponse response =
        GatewayResponse.newBuilder()
            .setStatus(createdService ? Status.CREATED.code() : Status.OK.code())
            .setRegistration(registration)
            .build();
    return new Outcome(response, changed, changed ? List.of(service) : List.of());
  }

  private Outcome deregisterService(final Principal who, final DeregisterService op) {
    final Registry.Service service =
        registry.service(op.getCommunity(), op.getService()).orElse(null);
    if (service == null || !service.servers.containsKey(who.identity())) {
      return fail(
          Status.NOT_FOUND,
          "'"
              + who.identity()
              + "' does not serve '"
              + op.getService()
              + "' in '"
              + op.getCommunity()
              + "'");
    }
    removeServer(service, who.identity());
    return changed(Status.OK, null, List.of(service));
  }

  private Outcome setEnabled(final Principal who, final SetServiceEnabled op) {
    final Registry.Service service = registry.byAddress.get(op.getAddress());
    final Registry.ServerEntry entry = service == null ? null : service.servers.get(who.identity());
    if (entry == null) {
      return fail(
          Status.NOT_FOUND, "'" + who.identity() + "' does not serve '" + op.getAddress() + "'");
    }
    if (entry.enabled == op.getEnabled()) {
      return new Outcome(response(Status.OK, null), false, List.of());
    }
    entry.enabled = op.getEnabled();
    return changed(Status.OK, null, List.of(service));
  }

  private Outcome browse(final Principal who, final String only) {
    final BrowseResult.Builder result = BrowseResult.newBuilder();
    for (final Registry.Community c : registry.communities.values()) {
      if (only.isEmpty() || only.equals(c.name)) {
        result.addCommunities(communityInfo(c, who.isAdmin() || isOwner(who, c)));
      }
    }
    return new Outcome(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setBrowse(result).build(),
        false,
        List.of());
  }

  private Outcome addIdentity(final Principal who, final AddIdentity op) {
    if (!who.isAdmin()) {
      return fail(Status.FORBIDDEN, "only an admin adds identities");
    }
    if (!Names.isLabel(op.getName())) {
      return fail(Status.BAD_REQUEST, badLabel("identity", op.getName()));
    }
    if (op.getRole() == IdentityRole.IDENTITY_ROLE_UNSPECIFIED
        || op.getRole() == IdentityRole.UNRECOGNIZED) {
      return fail(Status.BAD_REQUEST, "an identity needs a role: consumer, device or admin");
    }
    if (registry.identities.containsKey(op.getName())) {
      return fail(Status.CONFLICT, "identity '" + op.getName() + "' exists");
    }
    final boolean generated = op.getPassword().isEmpty();
    final String password = generated ? PasswordHasher.newPassword() : op.getPassword();
    registry.identities.put(op.getName(), passwords.record(op.getName(), op.getRole(), password));
    final IdentityInfo.Builder info =
        IdentityInfo.newBuilder().setName(op.getName()).setRole(op.getRole());
    if (generated) {
      info.setPassword(password);
    }
    return new Outcome(
        GatewayResponse.newBuilder().setStatus(Status.CREATED.code()).setIdentity(info).build(),
        true,
        List.of());
  }

  private Outcome removeIdentity(final Principal who, final String name) {
    if (!who.isAdmin()) {
      return fail(Status.FORBIDDEN, "only an admin removes identities");
    }
    if (name.equals(who.identity())) {
      return fail(Status.CONFLICT, "an admin cannot remove its own identity");
    }
    if (registry.identities.remove(name) == null) {
      return fail(Status.NOT_FOUND, "no identity '" + name + "'");
    }
    registry.clientIds.forget(name);
    return changed(Status.OK, null, List.of());
  }

  private Registry.Community create(
      final Principal who, final String name, final List<String> allowed) {
    final Registry.Community community =
        new Registry.Community(name, name, who.identity(), new LinkedHashSet<>(allowed));
    community.members.add(who.identity());
    registry.communities.put(name, community);
    return community;
  }

  /** Removes a server; when it was the primary, the next active server becomes primary. */
  private static boolean removeServer(final Registry.Service service, final String device) {
    final Registry.ServerEntry removed = service.servers.remove(device);
    if (removed == null) {
      return false;
    }
    if (removed.role == ServerRole.PRIMARY) {
      service.servers.values().stream()
          .filter(e -> e.role != ServerRole.PASSIVE)
          .findFirst()
          .ifPresent(next -> next.role = ServerRole.PRIMARY);
    }
    return true;
  }

  private static boolean hasActiveServer(final Registry.Service service) {
    return service.servers.values().stream().anyMatch(e -> e.role != ServerRole.PASSIVE);
  }

  private static boolean isNewer(final long version, final Registry.Service service) {
    return service.descriptor == null || version > service.descriptor.getVersion();
  }

  private static DistributionRule withDefaults(final DistributionRule rule) {
    final DistributionRule.Builder b = rule.toBuilder();
    if (b.getNaming() == NamingMode.NAMING_MODE_UNSPECIFIED) {
      b.setNaming(NamingMode.DOMAIN);
    }
    if (b.getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED) {
      b.setOrder(RequestOrder.PRIMARY_FIRST);
    }
    if (b.getAnonymity() == io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED) {
      b.setAnonymity(io.troupe.proto.v1.Anonymity.NAMED);
    }
    return b.build();
  }

  private static boolean mayServe(final Principal who) {
    return who.role() == IdentityRole.DEVICE || who.isAdmin();
  }

  private static boolean isOwner(final Principal who, final Registry.Community c) {
    return c.owner.equals(who.identity());
  }

  private static CommunityInfo communityInfo(final Registry.Community c, final boolean full) {
    final CommunityInfo.Builder info =
        CommunityInfo.newBuilder().setName(c.name).setDomain(c.domain).setOwner(c.owner);
    if (full) {
      info.addAllMembers(c.members).addAllAllowed(c.allowed);
    }
    for (final Registry.Service s : c.services.values()) {
      info.addServices(
          ServiceInfo.newBuilder()
              .setCommunity(c.name)
              .setService(s.name)
              .setAddress(s.address)
              .setRule(s.rule));
    }
    return info.build();
  }

  private static String badLabel(final String what, final String value) {
    return what
        + " must be 1 to 63 lowercase letters, digits or inner hyphens, got '"
        + value
        + "'";
  }

  private static GatewayResponse response(final Status status, final CommunityInfo community) {
    final GatewayResponse.Builder b = GatewayResponse.newBuilder().setStatus(status.code());
    if (community != null) {
      b.setCommunity(community);
    }
    return b.build();
  }

  private static Outcome ok(final Status status, final CommunityInfo community) {
    return new Outcome(response(status, community), false, List.of());
  }

  private static Outcome changed(
      final Status status, final CommunityInfo community, final List<Registry.Service> touched) {
    return new Outcome(response(status, community), true, touched);
  }

  private static Outcome fail(final Status status, final String reason) {
    return new Outcome(
        GatewayResponse.newBuilder().setStatus(status.code()).setReason(reason).build(),
        false,
        List.of());
  }
}
