package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.ResetIdentity;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.login.PasswordHasher;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resets an identity's secrets without removing it (R13): a new generated password, the next key
 * generation (so its key, the DTLS PSK and the secret of MQTT enhanced authentication, is a new
 * one) and no machine binding. An admin may reset anyone, any other identity only itself. The new
 * password and key are in the answer, once; nothing else changes (roles, memberships, grants,
 * client-id bindings). The identity's other sessions end, since they may have logged in with what
 * the reset replaced; the session that asked stays, to read its answer.
 */
final class IdentityResetOps {

  private final Registry registry;
  private final Connections connections;
  private final Passwords passwords;
  private final Optional<CoapKeys> keys;

  IdentityResetOps(
      final Registry registry,
      final Connections connections,
      final Passwords passwords,
      final Optional<CoapKeys> keys) {
    this.registry = registry;
    this.connections = connections;
    this.passwords = passwords;
    this.keys = keys;
  }

  ApiOutcome reset(final Principal who, final ResetIdentity op) {
    final String name = op.getName().isEmpty() ? who.identity() : op.getName();
    if (!who.isAdmin() && !name.equals(who.identity())) {
      return fail(Status.FORBIDDEN, "only an admin may reset another identity");
    }
    final IdentityRecord old = registry.identities().get(name);
    if (old == null) {
      return fail(Status.NOT_FOUND, "no identity '" + name + "'");
    }
    // a generated secret takes the fast keyed hash: microseconds, fine under the lock
    final String password = PasswordHasher.newPassword();
    final IdentityRecord hashed = passwords.record(name, old.getRole(), password);
    final int generation = old.getKeyGeneration() + 1;
    registry.putIdentity(
        old.toBuilder()
            .setSalt(hashed.getSalt())
            .setHash(hashed.getHash())
            .setIterations(hashed.getIterations())
            .setScheme(hashed.getScheme())
            .setKeyGeneration(generation)
            .clearMachinePublicKey()
            .build());
    final IdentityInfo.Builder info =
        IdentityInfo.newBuilder().setName(name).setRole(old.getRole()).setPassword(password);
    keys.ifPresent(k -> info.setKey(k.keyOf(name, generation)));
    final List<Directive> effects = new ArrayList<>();
    for (final String clientId : connections.clientsOf(name)) {
      if (!clientId.equals(who.clientId())) {
        effects.add(new Directive.Disconnect(clientId, "the identity '" + name + "' was reset"));
      }
    }
    return new ApiOutcome(
        GatewayResponse.newBuilder().setStatus(Status.OK.code()).setIdentity(info).build(),
        true,
        List.of(),
        effects);
  }
}
