package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.badLabel;
import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.Names;
import io.troupe.proto.v1.BrowseResult;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.Registration;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.StartService;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Descriptors;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Naming;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Browse and start (R18). The catalogue is every service whose owner's descriptor says {@code
 * installable} (see {@link Descriptors}); any signed-in identity may list it, and sees no server
 * the service hides from consumers. A device starts an entry in a community of its own: the gateway
 * creates the community (closed, owned by the device), a service of the entry's name with its
 * descriptor and rule, its address ({@code {community}.{service}} unless another naming is asked
 * for) and its distribution list with the device as primary.
 */
final class CatalogueOps {

  private final Registry registry;
  private final RouterConfig config;
  private final CommunityOps communities;
  private final LongSupplier nowMs;

  CatalogueOps(
      final Registry registry,
      final RouterConfig config,
      final CommunityOps communities,
      final LongSupplier nowMs) {
    this.registry = registry;
    this.config = config;
    this.communities = communities;
    this.nowMs = nowMs;
  }

  /** The catalogue: installable services of every community, with their descriptors. */
  ApiOutcome browse() {
    final BrowseResult.Builder result = BrowseResult.newBuilder();
    for (final Community c : registry.communities().values()) {
      for (final Service s : c.services().values()) {
        if (Descriptors.inCatalogue(s)) {
          result.addCatalogue(info(s));
        }
      }
    }
    return new ApiOutcome(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setBrowse(result).build(),
        false,
        List.of(),
        List.of());
  }

  /**
   * Starts the catalogue entry at {@code op.address} in the new community {@code op.community}.
   * Answers 201 with the registration; 403 for a consumer or a limit reached, 404 when no
   * installable service has that address, 400 for a bad community name, member or naming mode, 409
   * when the community or the address exists.
   */
  ApiOutcome start(final Principal who, final StartService op) {
    if (!CommunityOps.mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities start services");
    }
    final Service source = registry.serviceAt(op.getAddress());
    if (source == null || !Descriptors.inCatalogue(source)) {
      return fail(Status.NOT_FOUND, "no installable service at '" + op.getAddress() + "'");
    }
    if (!Names.isLabel(op.getCommunity())) {
      return fail(Status.BAD_REQUEST, badLabel("community", op.getCommunity()));
    }
    if (!Naming.isKnown(op.getNaming())) {
      return fail(Status.BAD_REQUEST, "unknown naming mode " + op.getNamingValue());
    }
    if (registry.communities().containsKey(op.getCommunity())) {
      return fail(Status.CONFLICT, "community '" + op.getCommunity() + "' exists");
    }
    final NamingMode naming =
        op.getNaming() == NamingMode.NAMING_MODE_UNSPECIFIED
            ? NamingMode.SUBDOMAIN
            : op.getNaming();
    return instantiate(
        who,
        source,
        op.getCommunity(),
        source.name(),
        naming,
        op.getMembersList(),
        source.descriptor().toBuilder().setInstallable(false).build());
  }

  /**
   * Creates a new instance of {@code source}: the service {@code serviceName} in {@code community}
   * (created, closed and owned by {@code who}, unless {@code who} owns it already), with {@code
   * source}'s rule under {@code naming}, {@code descriptor} (none when null) and {@code who} as its
   * primary. Answers 201 with the registration; 409 when the address is taken, 403 when a limit is
   * reached or the community is someone else's, and changes nothing then.
   */
  ApiOutcome instantiate(
      final Principal who,
      final Service source,
      final String community,
      final String serviceName,
      final NamingMode naming,
      final List<String> members,
      final ServiceDescriptor descriptor) {
    final Community probe =
        new Community(community, community, who.identity(), new LinkedHashSet<>());
    final List<String> addresses = Naming.addresses(probe, serviceName, naming);
    final Optional<String> taken = Naming.taken(registry, addresses);
    if (taken.isPresent()) {
      return fail(Status.CONFLICT, "the address '" + taken.get() + "' is taken");
    }
    final boolean createdDomain = Naming.createsDomain(registry, probe, serviceName, naming);
    if (registry.servedBy(who.identity()) >= config.limits().maxServicesPerIdentity()) {
      return ApiAnswers.limit(
          "services served by '" + who.identity() + "'",
          config.limits().maxServicesPerIdentity(),
          "max-services-per-identity");
    }
    final ApiOutcome created =
        communities.create(
            who, CreateCommunity.newBuilder().setName(community).addAllMembers(members).build());
    final int code = created.response().getStatus();
    if (code != Status.OK.code() && code != Status.CREATED.code()) {
      return created;
    }
    final Community home = registry.communities().get(community);
    final DistributionRule rule =
        source.rule().toBuilder().setNaming(naming).clearRedirectTo().build();
    final Service service = new Service(home, serviceName, addresses.get(0), rule);
    if (descriptor != null) {
      Descriptors.accept(service, who.identity(), descriptor);
    }
    registry.addService(service);
    registry.addServer(
        service, new ServerEntry(who.identity(), ServerRole.PRIMARY, true, nowMs.getAsLong()));
    final Registration registration =
        Registration.newBuilder()
            .setAddress(service.address())
            .setRole(ServerRole.PRIMARY)
            .setCreatedService(true)
            .setCreatedDomain(createdDomain)
            .build();
    return ApiAnswers.changed(
        GatewayResponse.newBuilder()
            .setStatus(Status.CREATED.code())
            .setRegistration(registration)
            .build(),
        List.of(service),
        List.of());
  }

  private static ServiceInfo info(final Service s) {
    return ServiceInfo.newBuilder()
        .setCommunity(s.community().name())
        .setService(s.name())
        .setAddress(s.address())
        .setRule(Disclosure.ruleForConsumers(s))
        .setServiceDescriptor(Disclosure.descriptorForConsumers(s))
        .build();
  }
}
