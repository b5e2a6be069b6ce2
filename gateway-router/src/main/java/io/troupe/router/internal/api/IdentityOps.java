package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.badLabel;
import static io.troupe.router.internal.api.ApiAnswers.changed;
import static io.troupe.router.internal.api.ApiAnswers.fail;
import static io.troupe.router.internal.api.ApiAnswers.response;

import io.troupe.contract.Names;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityList;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.login.PasswordHasher;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Membership;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Identities: an admin adds, lists and removes them. Removal is complete and takes effect at once:
 * the identity's sessions end, it leaves every community (its server entries go, the next server is
 * promoted), no list names it any more, and the communities it owned pass to the admin who removed
 * it, so that re-adding the name gives back nothing.
 */
final class IdentityOps {

  private final Registry registry;
  private final Membership membership;
  private final Connections connections;
  private final Passwords passwords;

  IdentityOps(
      final Registry registry,
      final Membership membership,
      final Connections connections,
      final Passwords passwords) {
    this.registry = registry;
    this.membership = membership;
    this.connections = connections;
    this.passwords = passwords;
  }

  /**
   * A new identity's record, hashed before the router takes its lock: hashing takes tens of
   * milliseconds by design and must not stall routing.
   *
   * @param record the record to store
   * @param password the generated password to show once; empty when the requester gave one
   */
  record Prepared(IdentityRecord record, String password) {}

  /** Hashes the password of an {@link AddIdentity} an admin sent; empty for anyone else. */
  java.util.Optional<Prepared> prepare(final Principal who, final AddIdentity op) {
    if (!who.isAdmin() || !Names.isLabel(op.getName())) {
      return java.util.Optional.empty();
    }
    final boolean generated = op.getPassword().isEmpty();
    final String password = generated ? PasswordHasher.newPassword() : op.getPassword();
    return java.util.Optional.of(
        new Prepared(
            passwords.record(op.getName(), op.getRole(), password), generated ? password : ""));
  }

  ApiOutcome add(
      final Principal who, final AddIdentity op, final java.util.Optional<Prepared> prepared) {
    if (!who.isAdmin()) {
      return fail(Status.FORBIDDEN, "only an admin adds identities");
    }
    if (!Names.isLabel(op.getName()) || prepared.isEmpty()) {
      return fail(Status.BAD_REQUEST, badLabel("identity", op.getName()));
    }
    if (op.getRole() == IdentityRole.IDENTITY_ROLE_UNSPECIFIED
        || op.getRole() == IdentityRole.UNRECOGNIZED) {
      return fail(Status.BAD_REQUEST, "an identity needs a role: consumer, device or admin");
    }
    if (registry.identities().containsKey(op.getName())) {
      return fail(Status.CONFLICT, "identity '" + op.getName() + "' exists");
    }
    registry.putIdentity(prepared.get().record().toBuilder().setRole(op.getRole()).build());
    final IdentityInfo.Builder info =
        IdentityInfo.newBuilder().setName(op.getName()).setRole(op.getRole());
    if (!prepared.get().password().isEmpty()) {
      info.setPassword(prepared.get().password());
    }
    return new ApiOutcome(
        GatewayResponse.newBuilder().setStatus(Status.CREATED.code()).setIdentity(info).build(),
        true,
        List.of(),
        List.of());
  }

  /** Every identity with its role, by name; an admin only. Passwords and hashes never leave. */
  ApiOutcome list(final Principal who) {
    if (!who.isAdmin()) {
      return fail(Status.FORBIDDEN, "only an admin lists identities");
    }
    final IdentityList.Builder list = IdentityList.newBuilder();
    registry.identities().values().stream()
        .sorted(Comparator.comparing(IdentityRecord::getName))
        .forEach(
            r ->
                list.addIdentities(
                    IdentityInfo.newBuilder().setName(r.getName()).setRole(r.getRole())));
    return new ApiOutcome(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setIdentities(list).build(),
        false,
        List.of(),
        List.of());
  }

  ApiOutcome remove(final Principal who, final String name) {
    if (!who.isAdmin()) {
      return fail(Status.FORBIDDEN, "only an admin removes identities");
    }
    if (name.equals(who.identity())) {
      return fail(Status.CONFLICT, "an admin cannot remove its own identity");
    }
    if (!registry.removeIdentity(name)) {
      return fail(Status.NOT_FOUND, "no identity '" + name + "'");
    }
    final List<Service> touched = new ArrayList<>();
    final List<Directive> effects = new ArrayList<>();
    for (final Community community : registry.communities().values()) {
      if (community.members().contains(name)) {
        membership.leave(community, name, touched, effects);
      }
      community.disallow(name);
      membership.dropAssigned(community, name::equals, touched);
      if (community.owner().equals(name)) {
        community.handTo(who.identity());
      }
    }
    registry.clientIds().forget(name);
    for (final String clientId : connections.clientsOf(name)) {
      effects.add(new Directive.Disconnect(clientId, "the identity '" + name + "' was removed"));
    }
    return changed(response(Status.OK, null), touched, effects);
  }
}
