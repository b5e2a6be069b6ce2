package io.troupe.router.internal.api;

import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Service;
import java.util.List;

/** How the API's operations answer: the outcomes and the views of the registry they return. */
final class ApiAnswers {

  private ApiAnswers() {}

  /**
   * {@code c} as {@code viewer} may see it: in full for its owner and admins; for anyone else
   * without its member lists, and without its owner where its services hide that server from the
   * viewer (R15).
   */
  static CommunityInfo communityInfo(final Community c, final Principal viewer) {
    if (viewer.isAdmin() || c.owner().equals(viewer.identity())) {
      return communityInfo(c, true);
    }
    final CommunityInfo info = communityInfo(c, false);
    return Disclosure.showsOwner(c, c.members().contains(viewer.identity()))
        ? info
        : info.toBuilder().clearOwner().build();
  }

  /** {@code c} with its owner, and with its member lists when {@code full}. */
  static CommunityInfo communityInfo(final Community c, final boolean full) {
    final CommunityInfo.Builder info =
        CommunityInfo.newBuilder()
            .setName(c.name())
            .setDomain(c.domain())
            .setOwner(c.owner())
            .setOpen(c.isOpen())
            .setAnonymity(c.anonymity());
    if (full) {
      info.addAllMembers(c.members()).addAllAllowed(c.allowed());
      // the group's DN and what its refresh found are the owner's business, like the lists
      info.setGroup(c.group()).addAllGroupMembers(c.groupMembers()).setGroupStatus(c.groupStatus());
    }
    for (final Service s : c.services().values()) {
      info.addServices(
          ServiceInfo.newBuilder()
              .setCommunity(c.name())
              .setService(s.name())
              .setAddress(s.address())
              .setRule(full ? s.rule() : Disclosure.ruleForConsumers(s)));
    }
    return info.build();
  }

  static String badLabel(final String what, final String value) {
    return what
        + " must be 1 to 63 lowercase letters, digits or inner hyphens, got '"
        + value
        + "'";
  }

  static GatewayResponse response(final Status status, final CommunityInfo community) {
    final GatewayResponse.Builder b = GatewayResponse.newBuilder().setStatus(status.code());
    if (community != null) {
      b.setCommunity(community);
    }
    return b.build();
  }

  static ApiOutcome ok(final Status status, final CommunityInfo community) {
    return new ApiOutcome(response(status, community), false, List.of(), List.of());
  }

  static ApiOutcome changed(
      final Status status, final CommunityInfo community, final List<Service> touched) {
    return new ApiOutcome(response(status, community), true, touched, List.of());
  }

  static ApiOutcome changed(
      final GatewayResponse response, final List<Service> touched, final List<Directive> effects) {
    return new ApiOutcome(response, true, touched, effects);
  }

  static ApiOutcome fail(final Status status, final String reason) {
    return new ApiOutcome(failure(status, reason), false, List.of(), List.of());
  }

  /** The answer that refuses an operation with {@code status}, saying why. */
  static GatewayResponse failure(final Status status, final String reason) {
    return GatewayResponse.newBuilder().setStatus(status.code()).setReason(reason).build();
  }

  /** A refusal that names the limit reached and the setting that raises it. */
  static ApiOutcome limit(final String what, final int limit, final String setting) {
    return fail(
        Status.FORBIDDEN,
        "limit reached: " + what + " (at most " + limit + ", <" + setting + "> in config.xml)");
  }
}
