package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.CoapKey;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IssueCoapKey;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Registry;
import java.util.List;
import java.util.Optional;

/**
 * Issues an identity's CoAP pre-shared key over the API: an admin may have anyone's, any other
 * identity only its own. The key is derived from the master key the gateway was given ({@link
 * CoapKeys}), never stored, so the data folder holds none.
 */
final class CoapKeyOps {

  private final Registry registry;
  private final Optional<CoapKeys> keys;

  CoapKeyOps(final Registry registry, final Optional<CoapKeys> keys) {
    this.registry = registry;
    this.keys = keys;
  }

  ApiOutcome issue(final Principal who, final IssueCoapKey op) {
    final String name = op.getName().isEmpty() ? who.identity() : op.getName();
    if (!who.isAdmin() && !name.equals(who.identity())) {
      return fail(Status.FORBIDDEN, "only an admin may have another identity's CoAP key");
    }
    if (keys.isEmpty()) {
      return fail(Status.NOT_IMPLEMENTED, "the CoAP bridge is disabled on this gateway");
    }
    final io.troupe.proto.v1.IdentityRecord record = registry.identities().get(name);
    if (record == null) {
      return fail(Status.NOT_FOUND, "no identity '" + name + "'");
    }
    return new ApiOutcome(
        GatewayResponse.newBuilder()
            .setStatus(Status.OK.code())
            .setCoapKey(
                CoapKey.newBuilder()
                    .setIdentity(name)
                    .setKey(keys.get().keyOf(name, record.getKeyGeneration())))
            .build(),
        false,
        List.of(),
        List.of());
  }
}
