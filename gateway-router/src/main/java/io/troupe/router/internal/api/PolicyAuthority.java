package io.troupe.router.internal.api;

import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.router.Principal;
import io.troupe.router.StateChange.PolicyKey;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import java.util.Optional;

/**
 * Who may set, clear and see which access policy (R12): the gateway's only an admin; a community's,
 * or a service's, the community's owner or an admin; a server's, the device itself, the owner of a
 * community it belongs to, or an admin. Anyone sees the gateway's policy and the policies of the
 * communities and services it may use. Read under the router's lock.
 */
final class PolicyAuthority {

  /** A refusal: 400 for a target that does not exist, 403 for one not the requester's. */
  record Refusal(Status status, String reason) {}

  private final Registry registry;

  PolicyAuthority(final Registry registry) {
    this.registry = registry;
  }

  /** Why {@code who} may not set or clear the policy of {@code key}; empty when it may. */
  Optional<Refusal> mayChange(final Principal who, final PolicyKey key) {
    final Optional<Refusal> unknown = unknownTarget(key);
    if (unknown.isPresent()) {
      return unknown;
    }
    if (who.isAdmin() || owns(who.identity(), key)) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(
            Status.FORBIDDEN,
            switch (key.scope()) {
              case GATEWAY -> "only an admin may set the gateway's policy";
              case COMMUNITY, SERVICE ->
                  "only the owner of the community or an admin may set the policy of "
                      + key.target();
              default ->
                  "only the device, the owner of its community or an admin may set the policy"
                      + " of server "
                      + key.target();
            }));
  }

  /** Whether {@code who} may see the policy of {@code key}. */
  boolean maySee(final Principal who, final PolicyKey key) {
    if (who.isAdmin() || key.scope() == PolicyScope.GATEWAY || owns(who.identity(), key)) {
      return true;
    }
    return switch (key.scope()) {
      case COMMUNITY -> admits(registry.communities().get(key.target()), who.identity());
      case SERVICE -> {
        final Service s = registry.serviceAt(key.target());
        yield s != null && admits(s.community(), who.identity());
      }
      default -> false;
    };
  }

  private static boolean admits(final Community c, final String identity) {
    return c != null && (c.admits(identity) || c.members().contains(identity));
  }

  private boolean owns(final String identity, final PolicyKey key) {
    return switch (key.scope()) {
      case COMMUNITY -> {
        final Community c = registry.communities().get(key.target());
        yield c != null && c.owner().equals(identity);
      }
      case SERVICE -> {
        final Service s = registry.serviceAt(key.target());
        yield s != null && s.community().owner().equals(identity);
      }
      case SERVER ->
          key.target().equals(identity)
              || registry.communities().values().stream()
                  .anyMatch(
                      c ->
                          c.owner().equals(identity)
                              && (c.members().contains(key.target())
                                  || c.services().values().stream()
                                      .anyMatch(s -> s.servers().containsKey(key.target()))));
      default -> false;
    };
  }

  private Optional<Refusal> unknownTarget(final PolicyKey key) {
    final boolean known =
        switch (key.scope()) {
          case GATEWAY -> key.target().isEmpty();
          case COMMUNITY -> registry.communities().containsKey(key.target());
          case SERVICE -> registry.serviceAt(key.target()) != null;
          case SERVER -> {
            final IdentityRecord r = registry.identities().get(key.target());
            yield r != null && r.getRole() == IdentityRole.DEVICE;
          }
          default -> false;
        };
    if (known) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(
            Status.BAD_REQUEST,
            switch (key.scope()) {
              case GATEWAY ->
                  "the gateway's policy has an empty target, got '" + key.target() + "'";
              case COMMUNITY -> "no community '" + key.target() + "'";
              case SERVICE -> "no service at address '" + key.target() + "'";
              case SERVER -> "no device '" + key.target() + "'";
              default -> "a policy's scope is GATEWAY, COMMUNITY, SERVICE or SERVER";
            }));
  }
}
