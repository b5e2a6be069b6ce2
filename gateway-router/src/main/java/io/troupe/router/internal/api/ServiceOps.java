package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.badLabel;
import static io.troupe.router.internal.api.ApiAnswers.changed;
import static io.troupe.router.internal.api.ApiAnswers.fail;
import static io.troupe.router.internal.api.ApiAnswers.limit;
import static io.troupe.router.internal.api.ApiAnswers.response;

import io.troupe.contract.Names;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DeleteService;
import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.Registration;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.SetServiceEnabled;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.Verdict;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Descriptors;
import io.troupe.router.internal.registry.Membership;
import io.troupe.router.internal.registry.Naming;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Services: register a server, deregister it, enable or disable its share, delete a service. */
final class ServiceOps {

  private final Registry registry;
  private final RouterConfig config;
  private final Membership membership;
  private final RoleOps roles;
  private final LongSupplier nowMs;

  ServiceOps(
      final Registry registry,
      final RouterConfig config,
      final Membership membership,
      final RoleOps roles,
      final LongSupplier nowMs) {
    this.registry = registry;
    this.config = config;
    this.membership = membership;
    this.roles = roles;
    this.nowMs = nowMs;
  }

  ApiOutcome register(final Principal who, final RegisterService op) {
    if (!CommunityOps.mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities serve");
    }
    if (!Names.isLabel(op.getService())) {
      return fail(Status.BAD_REQUEST, badLabel("service", op.getService()));
    }
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null) {
      return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
    }
    if (!community.members().contains(who.identity())) {
      return fail(
          Status.FORBIDDEN, "'" + who.identity() + "' has not joined '" + community.name() + "'");
    }
    final DistributionRule rule = op.getRule();
    if (op.getAnonymity() == Anonymity.UNRECOGNIZED) {
      return fail(Status.BAD_REQUEST, "unknown anonymity " + op.getAnonymityValue());
    }
    if (!Naming.isKnown(rule.getNaming())) {
      return fail(Status.BAD_REQUEST, "unknown naming mode " + rule.getNamingValue());
    }
    if (!community.services().containsKey(op.getService())) {
      final String invalid = invalidNewRule(who, op);
      if (invalid != null) {
        return fail(Status.BAD_REQUEST, invalid);
      }
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
    if (op.getServiceDescriptor().getSerializedSize() > config.maxPayloadBytes()) {
      return fail(
          Status.PAYLOAD_TOO_LARGE,
          "descriptor of "
              + op.getServiceDescriptor().getSerializedSize()
              + " bytes exceeds the limit of "
              + config.maxPayloadBytes());
    }
    Service service = community.services().get(op.getService());
    if (op.hasServiceDescriptor()) {
      final Verdict allowed =
          Descriptors.check(community, service, who.identity(), op.getServiceDescriptor());
      if (!allowed.isAllowed()) {
        return fail(allowed.status(), allowed.reason());
      }
    }
    final boolean serves = service != null && service.servers().containsKey(who.identity());
    if (!serves && registry.servedBy(who.identity()) >= config.limits().maxServicesPerIdentity()) {
      return limit(
          "services served by '" + who.identity() + "'",
          config.limits().maxServicesPerIdentity(),
          "max-services-per-identity");
    }
    final NamingMode naming = withDefaults(rule).getNaming();
    final boolean createdDomain =
        Naming.createsDomain(registry, community, op.getService(), naming);
    final boolean createdService = service == null;
    if (createdService) {
      final List<String> addresses = Naming.addresses(community, op.getService(), naming);
      final java.util.Optional<String> taken = Naming.taken(registry, addresses);
      if (taken.isPresent()) {
        return fail(Status.CONFLICT, "the address '" + taken.get() + "' is taken");
      }
      service = new Service(community, op.getService(), addresses.get(0), withDefaults(rule));
      registry.addService(service);
    }
    ServerEntry entry = service.servers().get(who.identity());
    boolean changed = createdService;
    final List<Directive> told = new ArrayList<>();
    if (entry == null) {
      final ServerRole first = hasActiveServer(service) ? ServerRole.SECONDARY : ServerRole.PRIMARY;
      final ServerRole role =
          op.getPassive()
              ? passive(service, who.identity())
              : roles.onRegister(service, who.identity(), first, told);
      entry = new ServerEntry(who.identity(), role, true, nowMs.getAsLong());
      registry.addServer(service, entry);
      changed = true;
    }
    if (op.getAnonymity() != Anonymity.ANONYMITY_UNSPECIFIED
        && op.getAnonymity() != entry.anonymity()) {
      entry.setAnonymity(op.getAnonymity());
      changed = true;
    }
    if (op.hasServiceDescriptor()
        && Descriptors.takesEffect(service, who.identity(), op.getServiceDescriptor())) {
      Descriptors.accept(service, who.identity(), op.getServiceDescriptor());
      changed = true;
    }
    final Registration registration =
        Registration.newBuilder()
            .setAddress(service.address())
            .setRole(entry.role())
            .setCreatedService(createdService)
            .setCreatedDomain(createdService && createdDomain)
            .build();
    final GatewayResponse response =
        GatewayResponse.newBuilder()
            .setStatus(createdService ? Status.CREATED.code() : Status.OK.code())
            .setRegistration(registration)
            .build();
    return new ApiOutcome(response, changed, changed ? List.of(service) : List.of(), told);
  }

  /** A passive registration: a role assigned in advance does not apply to it, and is dropped. */
  private static ServerRole passive(final Service service, final String device) {
    service.unassign(device);
    return ServerRole.PASSIVE;
  }

  ApiOutcome deregister(final Principal who, final DeregisterService op) {
    final Service service = registry.service(op.getCommunity(), op.getService()).orElse(null);
    if (service == null || !service.servers().containsKey(who.identity())) {
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
    final List<Directive> effects = new ArrayList<>();
    membership.stopServing(service, who.identity(), effects);
    return changed(response(Status.OK, null), List.of(service), effects);
  }

  ApiOutcome setEnabled(final Principal who, final SetServiceEnabled op) {
    final Service service = registry.serviceAt(op.getAddress());
    final ServerEntry entry = service == null ? null : service.servers().get(who.identity());
    if (entry == null) {
      return fail(
          Status.NOT_FOUND, "'" + who.identity() + "' does not serve '" + op.getAddress() + "'");
    }
    if (entry.isEnabled() == op.getEnabled()) {
      return ApiAnswers.ok(Status.OK, null);
    }
    entry.setEnabled(op.getEnabled());
    return changed(Status.OK, null, List.of(service));
  }

  ApiOutcome delete(final Principal who, final DeleteService op) {
    final Service service = registry.service(op.getCommunity(), op.getService()).orElse(null);
    if (service == null) {
      return fail(
          Status.NOT_FOUND, "no service '" + op.getService() + "' in '" + op.getCommunity() + "'");
    }
    if (!who.isAdmin() && !service.community().owner().equals(who.identity())) {
      return fail(
          Status.FORBIDDEN, "only the owner of '" + service.community().name() + "' or an admin");
    }
    final List<Directive> effects = new ArrayList<>();
    membership.deleteService(service, effects);
    return changed(response(Status.OK, null), List.of(), effects);
  }

  /**
   * What is wrong with the rule of a registration that creates its service: the registrant is then
   * its only server, so a redirect may name only the registrant, and only when it is active.
   */
  private static String invalidNewRule(final Principal who, final RegisterService op) {
    final DistributionRule rule = op.getRule();
    if (rule.getOrder() == RequestOrder.UNRECOGNIZED) {
      return "unknown request order " + rule.getOrderValue();
    }
    final String to = rule.getRedirectTo();
    if (!to.isEmpty() && (!to.equals(who.identity()) || op.getPassive())) {
      return "a redirect must name an active server of the service; '"
          + to
          + "' is not one when '"
          + who.identity()
          + "' creates it";
    }
    return null;
  }

  private static boolean hasActiveServer(final Service service) {
    return service.servers().values().stream().anyMatch(e -> e.role() != ServerRole.PASSIVE);
  }

  static DistributionRule withDefaults(final DistributionRule rule) {
    final DistributionRule.Builder b = rule.toBuilder();
    if (b.getNaming() == NamingMode.NAMING_MODE_UNSPECIFIED) {
      b.setNaming(NamingMode.DOMAIN);
    }
    if (b.getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED) {
      b.setOrder(RequestOrder.PRIMARY_FIRST);
    }
    if (b.getAnonymity() == Anonymity.ANONYMITY_UNSPECIFIED) {
      b.setAnonymity(Anonymity.NAMED);
    }
    return b.build();
  }
}
