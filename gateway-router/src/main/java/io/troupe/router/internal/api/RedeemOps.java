package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.badLabel;
import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.Invitations;
import io.troupe.contract.Names;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.Grant;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RedeemInvitation;
import io.troupe.proto.v1.Redeemed;
import io.troupe.proto.v1.Redemption;
import io.troupe.proto.v1.ServerRole;
import io.troupe.router.Principal;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.internal.login.PasswordHasher;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.trust.InvitationCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Redeeming an invitation (R14): verified by {@link InvitationCheck}, it grants exactly the actions
 * of its key on its key's service, and nothing else.
 *
 * <ul>
 *   <li>USE: a grant to call the service (all a scoped identity may call).
 *   <li>HOST: the identity is let into the service's community (if it was not admitted) and
 *       assigned the SECONDARY role there, which applies when its agent registers.
 *   <li>CLONE: a new instance of the service, with its descriptor and rule, in the community the
 *       redeemer names (its own, or created for it), the redeemer its primary, at a new address.
 * </ul>
 *
 * <p>An invitee with no identity ({@link IdentityRole#INVITEE}) gets a scoped one: a DEVICE for
 * HOST or CLONE, else a CONSUMER, named as it asks or by the gateway, with a generated password
 * returned once. HOST and CLONE need a device (or admin) identity.
 */
final class RedeemOps {

  private final Registry registry;
  private final Passwords passwords;
  private final CatalogueOps catalogue;
  private final Optional<Invitations> invitations;
  private final LongSupplier nowMs;
  private final java.util.function.Consumer<RouterMetrics.KeyRefusal> refusals;

  RedeemOps(
      final Registry registry,
      final Passwords passwords,
      final CatalogueOps catalogue,
      final Optional<Invitations> invitations,
      final LongSupplier nowMs,
      final java.util.function.Consumer<RouterMetrics.KeyRefusal> refusals) {
    this.refusals = refusals;
    this.registry = registry;
    this.passwords = passwords;
    this.catalogue = catalogue;
    this.invitations = invitations;
    this.nowMs = nowMs;
  }

  /**
   * Redeems {@code op.url}. 201 with what was granted (and the new identity with its password when
   * one was created); the refusals of {@link InvitationCheck}; 400 for a bad name or community; 403
   * for HOST or CLONE to a consumer, or a CLONE into someone else's community; 404 when the key's
   * service no longer exists; 409 for a name or address taken. A refusal changes nothing and does
   * not use the invitation.
   */
  ApiOutcome redeem(final Principal who, final RedeemInvitation op) {
    if (invitations.isEmpty()) {
      return fail(Status.NOT_IMPLEMENTED, "keys and invitations are disabled on this gateway");
    }
    final long now = nowMs.getAsLong();
    final InvitationCheck.Outcome checked =
        InvitationCheck.check(invitations.get(), registry.keys(), op.getUrl(), now);
    if (checked instanceof InvitationCheck.Refused refused) {
      refusals.accept(refused.why());
      return fail(refused.status(), refused.reason());
    }
    final InvitationCheck.Valid valid = (InvitationCheck.Valid) checked;
    final KeyRecord key = valid.key();
    final Service service = registry.serviceAt(key.getAddress());
    if (service == null) {
      return fail(Status.NOT_FOUND, "the invited service '" + key.getAddress() + "' is gone");
    }
    final boolean serves =
        key.getActionsList().contains(KeyAction.HOST)
            || key.getActionsList().contains(KeyAction.CLONE);
    final Redeemer redeemer;
    final Optional<ApiOutcome> refused;
    if (who.role() == IdentityRole.INVITEE) {
      final String name = op.getName().isEmpty() ? generatedName() : op.getName();
      refused = newIdentityRefusal(name);
      redeemer = new Redeemer(name, serves ? IdentityRole.DEVICE : IdentityRole.CONSUMER, true);
    } else {
      final IdentityRecord existing = registry.identities().get(who.identity());
      final IdentityRole role = existing == null ? who.role() : existing.getRole();
      if (existing == null) {
        refused = Optional.of(fail(Status.FORBIDDEN, "'" + who.identity() + "' is no identity"));
      } else if (serves && role != IdentityRole.DEVICE && role != IdentityRole.ADMIN) {
        refused = Optional.of(fail(Status.FORBIDDEN, "host and clone invitations are for devices"));
      } else {
        refused = Optional.empty();
      }
      redeemer = new Redeemer(who.identity(), role, false);
    }
    if (refused.isPresent()) {
      return refused.get();
    }
    final boolean clones = key.getActionsList().contains(KeyAction.CLONE);
    final Optional<ApiOutcome> badClone = clones ? cloneRefusal(redeemer, op) : Optional.empty();
    if (badClone.isPresent()) {
      return badClone.get();
    }
    final Redeemed.Builder answer = Redeemed.newBuilder().setAddress(service.address());
    final List<Service> touched = new ArrayList<>();
    final List<Grant> grants = new ArrayList<>();
    if (clones) {
      // first, as it may still be refused (address taken, a limit): then nothing has changed
      final ApiOutcome cloned =
          catalogue.instantiate(
              new Principal(redeemer.name(), redeemer.role(), redeemer.name()),
              service,
              op.getCommunity(),
              op.getService().isEmpty() ? service.name() : op.getService(),
              NamingMode.SUBDOMAIN,
              List.of(),
              service.descriptor());
      if (cloned.response().getStatus() != Status.CREATED.code()) {
        return cloned;
      }
      final String address = cloned.response().getRegistration().getAddress();
      touched.addAll(cloned.touched());
      answer.setCloneAddress(address).setCommunity(op.getCommunity());
      grants.add(grant(KeyAction.CLONE, address, key));
    }
    String password = "";
    if (redeemer.created()) {
      password = PasswordHasher.newPassword();
      registry.putIdentity(
          passwords.record(redeemer.name(), redeemer.role(), password).toBuilder()
              .setScoped(true)
              .build());
    }
    for (final KeyAction action : key.getActionsList()) {
      if (action == KeyAction.USE) {
        grants.add(grant(KeyAction.USE, service.address(), key));
      } else if (action == KeyAction.HOST) {
        grants.add(host(redeemer.name(), service, key));
        touched.add(service);
      }
      answer.addGranted(action);
    }
    final IdentityRecord record = registry.identities().get(redeemer.name());
    registry.putIdentity(record.toBuilder().addAllGrants(grants).build());
    registry.putKey(
        key.toBuilder()
            .addRedemptions(
                Redemption.newBuilder()
                    .setNonce(valid.token().nonce())
                    .setIdentity(redeemer.name())
                    .setAtMs(now))
            .build());
    if (redeemer.created()) {
      answer.setIdentity(
          IdentityInfo.newBuilder()
              .setName(redeemer.name())
              .setRole(redeemer.role())
              .setPassword(password));
    }
    return ApiAnswers.changed(
        GatewayResponse.newBuilder().setStatus(Status.CREATED.code()).setRedeemed(answer).build(),
        touched.stream().distinct().toList(),
        List.of());
  }

  /** Who redeems: an existing identity, or one this redemption creates. */
  private record Redeemer(String name, IdentityRole role, boolean created) {}

  /** Lets {@code identity} into {@code service}'s community as its SECONDARY server to be. */
  private Grant host(final String identity, final Service service, final KeyRecord key) {
    final Community community = service.community();
    final boolean gained = !community.admits(identity);
    if (gained) {
      community.allow(identity);
    }
    service.assign(Map.of(identity, ServerRole.SECONDARY));
    return grant(KeyAction.HOST, service.address(), key).toBuilder()
        .setGainedMembership(gained)
        .build();
  }

  private Optional<ApiOutcome> newIdentityRefusal(final String name) {
    if (!Names.isLabel(name)) {
      return Optional.of(fail(Status.BAD_REQUEST, badLabel("identity", name)));
    }
    if (registry.identities().containsKey(name)) {
      return Optional.of(fail(Status.CONFLICT, "identity '" + name + "' exists"));
    }
    return Optional.empty();
  }

  /** Why a clone into {@code op.community} cannot be made, checked before anything changes. */
  private Optional<ApiOutcome> cloneRefusal(final Redeemer redeemer, final RedeemInvitation op) {
    if (!Names.isLabel(op.getCommunity())) {
      return Optional.of(
          fail(
              Status.BAD_REQUEST,
              "a clone invitation needs the new instance's community: "
                  + badLabel("community", op.getCommunity())));
    }
    if (!op.getService().isEmpty() && !Names.isLabel(op.getService())) {
      return Optional.of(fail(Status.BAD_REQUEST, badLabel("service", op.getService())));
    }
    final Community existing = registry.communities().get(op.getCommunity());
    if (existing != null && !existing.owner().equals(redeemer.name())) {
      return Optional.of(
          fail(
              Status.FORBIDDEN,
              "a clone goes into a community of the redeemer's own; '"
                  + op.getCommunity()
                  + "' is someone else's"));
    }
    return Optional.empty();
  }

  private static Grant grant(final KeyAction action, final String address, final KeyRecord key) {
    return Grant.newBuilder()
        .setAction(action)
        .setAddress(address)
        .setKeyId(key.getKeyId())
        .build();
  }

  private static String generatedName() {
    return "guest-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  }
}
