package io.troupe.router.internal.api;

import io.troupe.proto.v1.BrowseResult;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Membership;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.trust.Grants;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The operations of {@code {root}/gw/api} on the registry, dispatched to the class that decides
 * each kind. Not thread-safe: {@link GatewayRouter} calls it under its lock. Every operation
 * validates all of its input before it changes anything.
 */
public final class GatewayApi {

  private final Registry registry;
  private final CommunityOps communities;
  private final GroupOps groups;
  private final ServiceOps services;
  private final IdentityOps identities;
  private final RuleOps rules;
  private final RoleOps roles;
  private final CatalogueOps catalogue;
  private final CoapKeyOps coapKeys;
  private final KeyOps keys;
  private final RedeemOps redemptions;
  private volatile io.troupe.router.RouterMetrics metrics = io.troupe.router.RouterMetrics.NONE;
  private final IdentityResetOps resets;

  public GatewayApi(
      final Registry registry,
      final RouterConfig config,
      final Connections connections,
      final LongSupplier nowMs,
      final Passwords passwords,
      final java.util.Optional<io.troupe.contract.CoapKeys> coapKeys,
      final java.util.Optional<io.troupe.contract.Invitations> invitations) {
    this.registry = registry;
    final Membership membership = new Membership(registry, config.topics());
    this.groups = new GroupOps(registry, membership);
    this.communities = new CommunityOps(registry, config, membership, groups);
    this.roles = new RoleOps(registry, config.topics(), nowMs);
    this.services = new ServiceOps(registry, config, membership, roles, nowMs);
    this.identities = new IdentityOps(registry, membership, connections, passwords);
    this.rules = new RuleOps(registry, config.topics(), nowMs);
    this.catalogue = new CatalogueOps(registry, config, communities, nowMs);
    this.coapKeys = new CoapKeyOps(registry, coapKeys);
    this.resets = new IdentityResetOps(registry, connections, passwords, coapKeys);
    this.keys =
        new KeyOps(
            registry,
            config.keys(),
            membership,
            invitations,
            nowMs,
            why -> metrics.keyRefused(why));
    this.redemptions =
        new RedeemOps(
            registry, passwords, catalogue, invitations, nowMs, why -> metrics.keyRefused(why));
  }

  /** Communities formed from directory groups (R16). */
  GroupOps groups() {
    return groups;
  }

  /** Tells {@code metrics} of every refused key and invitation from now on. */
  void reportTo(final io.troupe.router.RouterMetrics metrics) {
    this.metrics = metrics;
  }

  /** The work done before the lock for {@code request}: see {@link IdentityOps#prepare}. */
  java.util.Optional<IdentityOps.Prepared> prepare(
      final Principal who, final GatewayRequest request) {
    return request.hasAddIdentity()
        ? identities.prepare(who, request.getAddIdentity())
        : java.util.Optional.empty();
  }

  /**
   * Handles one request. {@code prepared} carries the work done before the router's lock: the
   * hashed record of an {@code AddIdentity} ({@link IdentityOps#prepare}).
   */
  ApiOutcome handle(
      final Principal who,
      final GatewayRequest request,
      final java.util.Optional<IdentityOps.Prepared> prepared) {
    final java.util.Optional<String> scoped = scopeRefusal(who, request);
    if (scoped.isPresent()) {
      return ApiAnswers.fail(Status.FORBIDDEN, scoped.get());
    }
    return switch (request.getOperationCase()) {
      case CREATE_COMMUNITY -> communities.create(who, request.getCreateCommunity());
      case JOIN_COMMUNITY -> communities.join(who, request.getJoinCommunity());
      case LEAVE_COMMUNITY -> communities.leave(who, request.getLeaveCommunity());
      case UPDATE_COMMUNITY -> communities.update(who, request.getUpdateCommunity());
      case DELETE_COMMUNITY -> communities.delete(who, request.getDeleteCommunity());
      case CLEAR_RETAINED -> communities.clearRetained(who, request.getClearRetained());
      case SET_COMMUNITY_GROUP -> groups.set(who, request.getSetCommunityGroup());
      case REGISTER_SERVICE -> services.register(who, request.getRegisterService());
      case DEREGISTER_SERVICE -> services.deregister(who, request.getDeregisterService());
      case SET_SERVICE_ENABLED -> services.setEnabled(who, request.getSetServiceEnabled());
      case DELETE_SERVICE -> services.delete(who, request.getDeleteService());
      case SET_DISTRIBUTION_RULE -> rules.set(who, request.getSetDistributionRule());
      case BROWSE_SERVICES ->
          request.getBrowseServices().getCatalogue()
              ? catalogue.browse()
              : browse(who, request.getBrowseServices().getCommunity());
      case ASSIGN_ROLES -> roles.assign(who, request.getAssignRoles());
      case START_SERVICE -> catalogue.start(who, request.getStartService());
      case ADD_IDENTITY -> identities.add(who, request.getAddIdentity(), prepared);
      case REMOVE_IDENTITY -> identities.remove(who, request.getRemoveIdentity().getName());
      case LIST_IDENTITIES -> identities.list(who);
      case ISSUE_COAP_KEY -> coapKeys.issue(who, request.getIssueCoapKey());
      case CREATE_KEY -> keys.create(who, request.getCreateKey());
      case LIST_KEYS -> keys.list(who, request.getListKeys().getAddress());
      case REVOKE_KEY -> keys.revoke(who, request.getRevokeKey().getKeyId());
      case REDEEM_INVITATION -> redemptions.redeem(who, request.getRedeemInvitation());
      case RESET_IDENTITY -> resets.reset(who, request.getResetIdentity());
      case OPERATION_NOT_SET ->
          ApiAnswers.fail(Status.BAD_REQUEST, "the request names no operation");
      default ->
          ApiAnswers.fail(
              Status.NOT_IMPLEMENTED,
              "operation " + request.getOperationCase() + " is not implemented in this version");
    };
  }

  /**
   * Why {@code who} may not make {@code request} at all: an invitation's session may only redeem
   * it; a scoped identity (R14) may not create communities or start services, and registers only as
   * a server of what its grants name ({@link Grants}).
   */
  private java.util.Optional<String> scopeRefusal(
      final Principal who, final GatewayRequest request) {
    if (who.role() == IdentityRole.INVITEE) {
      return request.hasRedeemInvitation()
          ? java.util.Optional.empty()
          : java.util.Optional.of("a session opened with an invitation may only redeem it");
    }
    final IdentityRecord identity = registry.identities().get(who.identity());
    if (identity == null || !identity.getScoped()) {
      return java.util.Optional.empty();
    }
    return switch (request.getOperationCase()) {
      case CREATE_COMMUNITY, START_SERVICE ->
          java.util.Optional.of(
              "'" + who.identity() + "' came in by an invitation and may not create communities");
      case JOIN_COMMUNITY ->
          request.getJoinCommunity().getCreateIfAbsent()
                  && !registry.communities().containsKey(request.getJoinCommunity().getCommunity())
              ? java.util.Optional.of(
                  "'"
                      + who.identity()
                      + "' came in by an invitation and may not create communities")
              : java.util.Optional.empty();
      case REGISTER_SERVICE ->
          Grants.serveRefusal(
              identity,
              registry
                  .service(
                      request.getRegisterService().getCommunity(),
                      request.getRegisterService().getService())
                  .map(Service::address)
                  .orElse(""));
      default -> java.util.Optional.empty();
    };
  }

  private ApiOutcome browse(final Principal who, final String only) {
    final BrowseResult.Builder result = BrowseResult.newBuilder();
    for (final Community c : registry.communities().values()) {
      if (only.isEmpty() || only.equals(c.name())) {
        result.addCommunities(ApiAnswers.communityInfo(c, who));
      }
    }
    return new ApiOutcome(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setBrowse(result).build(),
        false,
        List.of(),
        List.of());
  }
}
