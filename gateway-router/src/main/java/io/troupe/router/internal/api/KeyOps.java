package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.changed;
import static io.troupe.router.internal.api.ApiAnswers.fail;

import com.google.protobuf.ByteString;
import io.troupe.contract.Invitations;
import io.troupe.proto.v1.AuthKey;
import io.troupe.proto.v1.CreateKey;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.Grant;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.Invitation;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.KeyList;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.Redemption;
import io.troupe.router.Directive;
import io.troupe.router.KeyLimits;
import io.troupe.router.Principal;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Membership;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.trust.Grants;
import io.troupe.router.internal.trust.InvitationCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Keys (R14): the owner of a service's community (or an admin) creates one for the service, with
 * the actions it grants, its number of uses and its validity; its creator lists it (an admin lists
 * all, and no secret is ever listed); its creator, the community's owner or an admin revokes it.
 * Revoking ends at once every grant made through the key: a USE grant, and a HOST grant with the
 * server entry, the assigned role and the membership it brought.
 */
final class KeyOps {

  private final Registry registry;
  private final KeyLimits limits;
  private final Membership membership;
  private final Optional<Invitations> invitations;
  private final LongSupplier nowMs;
  private final java.util.function.Consumer<RouterMetrics.KeyRefusal> refusals;

  KeyOps(
      final Registry registry,
      final KeyLimits limits,
      final Membership membership,
      final Optional<Invitations> invitations,
      final LongSupplier nowMs,
      final java.util.function.Consumer<RouterMetrics.KeyRefusal> refusals) {
    this.refusals = refusals;
    this.registry = registry;
    this.limits = limits;
    this.membership = membership;
    this.invitations = invitations;
    this.nowMs = nowMs;
  }

  /**
   * Creates a key. 201 with the key and its secret, shown this once; 400 for no or an unknown
   * action, too many uses or too long a validity; 403 for anyone but the community's owner or an
   * admin, or a limit of live keys reached; 404 for an unknown address; 501 when the gateway has no
   * signing secret.
   */
  ApiOutcome create(final Principal who, final CreateKey op) {
    if (invitations.isEmpty()) {
      return fail(Status.NOT_IMPLEMENTED, "keys and invitations are disabled on this gateway");
    }
    final Service service = registry.serviceAt(op.getAddress());
    if (service == null) {
      return fail(Status.NOT_FOUND, "no service at address '" + op.getAddress() + "'");
    }
    if (!who.isAdmin() && !service.community().owner().equals(who.identity())) {
      return fail(
          Status.FORBIDDEN,
          "only the owner of community '"
              + service.community().name()
              + "' or an admin creates keys for its services");
    }
    final Set<KeyAction> actions = new LinkedHashSet<>(op.getActionsList());
    if (actions.isEmpty()
        || actions.contains(KeyAction.KEY_ACTION_UNSPECIFIED)
        || actions.contains(KeyAction.UNRECOGNIZED)) {
      return fail(Status.BAD_REQUEST, "a key needs one or more actions: use, host, clone");
    }
    final int uses = op.getUses() == 0 ? 1 : op.getUses();
    if (uses > limits.maxUses()) {
      return fail(
          Status.BAD_REQUEST, "a key allows at most " + limits.maxUses() + " uses, not " + uses);
    }
    final Duration validity =
        op.getValidSeconds() == 0
            ? limits.defaultValidity()
            : Duration.ofSeconds(Math.min(op.getValidSeconds(), Long.MAX_VALUE / 2000));
    if (validity.compareTo(limits.maxValidity()) > 0) {
      return fail(
          Status.BAD_REQUEST, "a key is valid at most " + limits.maxValidity().toDays() + " days");
    }
    final long now = nowMs.getAsLong();
    forgetDeadKeys(who.identity(), now);
    final long mine =
        registry.keys().values().stream()
            .filter(k -> k.getCreatedBy().equals(who.identity()))
            .filter(k -> InvitationCheck.isLive(k, now))
            .count();
    if (mine >= limits.maxPerIdentity()) {
      refusals.accept(RouterMetrics.KeyRefusal.KEY_LIMIT);
      return ApiAnswers.limit(
          "live keys of '" + who.identity() + "'",
          limits.maxPerIdentity(),
          "max-keys-per-identity");
    }
    final long all =
        registry.keys().values().stream().filter(k -> InvitationCheck.isLive(k, now)).count();
    if (all >= limits.maxTotal()) {
      refusals.accept(RouterMetrics.KeyRefusal.KEY_LIMIT);
      return ApiAnswers.limit("live keys", limits.maxTotal(), "max-keys");
    }
    final KeyRecord key =
        KeyRecord.newBuilder()
            .setKeyId(Invitations.newKeyId())
            .addAllActions(actions)
            .setAddress(service.address())
            .setExpiresAtMs(now + validity.toMillis())
            .setUses(uses)
            .setCreatedBy(who.identity())
            .setCreatedAtMs(now)
            .build();
    registry.putKey(key);
    final AuthKey answer =
        view(key).toBuilder()
            .setSecret(ByteString.copyFrom(invitations.get().key(key.getKeyId()).secret()))
            .build();
    return changed(
        GatewayResponse.newBuilder().setStatus(Status.CREATED.code()).setKey(answer).build(),
        List.of(),
        List.of());
  }

  /**
   * Forgets the oldest dead keys (revoked or expired) of {@code creator} beyond {@link
   * KeyLimits#maxPerIdentity()}, and of everyone beyond {@link KeyLimits#maxTotal()}, so that the
   * keys kept stay bounded however many an identity creates and lets expire. A dead key admits no
   * invitation, and the grants made through it do not depend on its record (revoking removed them);
   * its invitations are then refused as not valid (403) instead of 410.
   */
  private void forgetDeadKeys(final String creator, final long now) {
    forgetOldest(
        k -> k.getCreatedBy().equals(creator) && !InvitationCheck.isLive(k, now),
        limits.maxPerIdentity());
    forgetOldest(k -> !InvitationCheck.isLive(k, now), limits.maxTotal());
  }

  private void forgetOldest(final java.util.function.Predicate<KeyRecord> dead, final int keep) {
    final List<KeyRecord> oldestFirst =
        registry.keys().values().stream()
            .filter(dead)
            .sorted(java.util.Comparator.comparingLong(KeyRecord::getCreatedAtMs))
            .toList();
    for (int i = 0; i < oldestFirst.size() - keep; i++) {
      registry.removeKey(oldestFirst.get(i).getKeyId());
    }
  }

  /** The requester's keys (an admin's: every key), of {@code address} if not empty; no secrets. */
  ApiOutcome list(final Principal who, final String address) {
    final KeyList.Builder list = KeyList.newBuilder();
    for (final KeyRecord k : registry.keys().values()) {
      if ((who.isAdmin() || k.getCreatedBy().equals(who.identity()))
          && (address.isEmpty() || k.getAddress().equals(address))) {
        list.addKeys(view(k));
        for (final Redemption r : k.getRedemptionsList()) {
          list.addRedeemed(
              Invitation.newBuilder()
                  .setKeyId(k.getKeyId())
                  .addAllActions(k.getActionsList())
                  .setAddress(k.getAddress())
                  .setExpiresAtMs(k.getExpiresAtMs())
                  .setIssuedBy(k.getCreatedBy())
                  .setNonce(r.getNonce())
                  .setRedeemedBy(r.getIdentity())
                  .setRedeemedAtMs(r.getAtMs()));
        }
      }
    }
    return new ApiOutcome(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setKeys(list).build(),
        false,
        List.of(),
        List.of());
  }

  /**
   * Revokes key {@code keyId} and ends its grants. 200 (also when it was revoked already); 403 for
   * anyone but its creator, the owner of its service's community or an admin; 404 for an unknown
   * key.
   */
  ApiOutcome revoke(final Principal who, final String keyId) {
    final KeyRecord key = registry.keys().get(keyId);
    if (key == null) {
      return fail(Status.NOT_FOUND, "no key '" + keyId + "'");
    }
    final Service service = registry.serviceAt(key.getAddress());
    final boolean owner = service != null && service.community().owner().equals(who.identity());
    if (!who.isAdmin() && !owner && !key.getCreatedBy().equals(who.identity())) {
      return fail(
          Status.FORBIDDEN,
          "only the key's creator, the service's community owner or an admin revokes it");
    }
    registry.putKey(key.toBuilder().setRevoked(true).build());
    final List<Service> touched = new ArrayList<>();
    final List<Directive> effects = new ArrayList<>();
    for (final IdentityRecord identity : List.copyOf(registry.identities().values())) {
      final List<Grant> ended =
          identity.getGrantsList().stream().filter(g -> g.getKeyId().equals(keyId)).toList();
      if (ended.isEmpty()) {
        continue;
      }
      registry.putIdentity(Grants.without(identity, keyId));
      ended.stream()
          .filter(g -> g.getAction() == KeyAction.HOST)
          .forEach(g -> endHosting(identity.getName(), g, touched, effects));
    }
    return changed(
        GatewayResponse.newBuilder()
            .setStatus(Status.OK.code())
            .setKey(view(registry.keys().get(keyId)))
            .build(),
        membershipTouched(touched),
        effects);
  }

  /** What a HOST grant brought goes: the server entry, the assigned role, the membership. */
  private void endHosting(
      final String identity,
      final Grant grant,
      final List<Service> touched,
      final List<Directive> effects) {
    final Service service = registry.serviceAt(grant.getAddress());
    if (service == null) {
      return;
    }
    final Community community = service.community();
    if (membership.stopServing(service, identity, effects)) {
      touched.add(service);
    }
    if (service.unassign(identity) != null && !touched.contains(service)) {
      touched.add(service);
    }
    if (grant.getGainedMembership()) {
      community.disallow(identity);
      if (!community.admits(identity) && community.members().contains(identity)) {
        membership.leave(community, identity, touched, effects);
        membership.dropAssigned(community, identity::equals, touched);
      }
    }
  }

  private List<Service> membershipTouched(final List<Service> touched) {
    return touched.stream().distinct().toList();
  }

  /** {@code key} as the API shows it: without its secret. */
  static AuthKey view(final KeyRecord key) {
    return AuthKey.newBuilder()
        .setKeyId(key.getKeyId())
        .addAllActions(key.getActionsList())
        .setAddress(key.getAddress())
        .setExpiresAtMs(key.getExpiresAtMs())
        .setUses(key.getUses())
        .setUsed(key.getRedemptionsCount())
        .setRevoked(key.getRevoked())
        .setCreatedBy(key.getCreatedBy())
        .setCreatedAtMs(key.getCreatedAtMs())
        .build();
  }
}
